package landlord

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// UpdateHomestay replaces a homestay's fields if the caller owns it and the version matches;
// a stale version is Aborted so the client can reload and retry.
func (s *Server) UpdateHomestay(ctx context.Context, req *connect.Request[bffv1.UpdateHomestayRequest]) (*connect.Response[bffv1.UpdateHomestayResponse], error) {
	claims, _ := auth.ClaimsFrom(ctx)
	res, err := s.clients.Travel.UpdateHomestay(ctx, connect.NewRequest(&travelv1.UpdateHomestayRequest{
		Id: req.Msg.GetId(), LandlordUserId: claims.UserID, Version: req.Msg.GetVersion(),
		Fields: convert.HomestayFields(req.Msg.GetHomestay()),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.UpdateHomestayResponse{
		Homestay: s.composer.Homestays(ctx, []*travelv1.Homestay{res.Msg.GetHomestay()})[0],
	}), nil
}
