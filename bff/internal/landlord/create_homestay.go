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

// CreateHomestay adds an off-shelf homestay to the caller's business.
func (s *Server) CreateHomestay(ctx context.Context, req *connect.Request[bffv1.CreateHomestayRequest]) (*connect.Response[bffv1.CreateHomestayResponse], error) {
	claims, _ := auth.ClaimsFrom(ctx)
	res, err := s.clients.Travel.CreateHomestay(ctx, connect.NewRequest(&travelv1.CreateHomestayRequest{
		LandlordUserId: claims.UserID, Fields: convert.HomestayFields(req.Msg.GetHomestay()),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.CreateHomestayResponse{
		Homestay: s.composer.Homestays(ctx, []*travelv1.Homestay{res.Msg.GetHomestay()})[0],
	}), nil
}
