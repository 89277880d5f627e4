package landlord

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// SetHomestayOnShelf shows a homestay to the public or hides it.
func (s *Server) SetHomestayOnShelf(ctx context.Context, req *connect.Request[bffv1.SetHomestayOnShelfRequest]) (*connect.Response[bffv1.SetHomestayOnShelfResponse], error) {
	claims, _ := auth.ClaimsFrom(ctx)
	res, err := s.clients.Travel.SetHomestayOnShelf(ctx, connect.NewRequest(&travelv1.SetHomestayOnShelfRequest{
		Id: req.Msg.GetId(), LandlordUserId: claims.UserID, OnShelf: req.Msg.GetOnShelf(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.SetHomestayOnShelfResponse{
		Homestay: s.composer.Homestays(ctx, []*travelv1.Homestay{res.Msg.GetHomestay()})[0],
	}), nil
}
