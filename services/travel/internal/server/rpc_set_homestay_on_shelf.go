package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// SetHomestayOnShelf implements travelv1connect.TravelServiceHandler.
func (s *Server) SetHomestayOnShelf(ctx context.Context, req *connect.Request[travelv1.SetHomestayOnShelfRequest]) (*connect.Response[travelv1.SetHomestayOnShelfResponse], error) {
	m := req.Msg
	h, err := s.app.SetHomestayOnShelf(ctx, m.GetId(), m.GetLandlordUserId(), m.GetOnShelf())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.SetHomestayOnShelfResponse{Homestay: wire.Homestay(h)}), nil
}
