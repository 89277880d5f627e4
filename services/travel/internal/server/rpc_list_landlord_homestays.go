package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// ListLandlordHomestays implements travelv1connect.TravelServiceHandler.
func (s *Server) ListLandlordHomestays(ctx context.Context, req *connect.Request[travelv1.ListLandlordHomestaysRequest]) (*connect.Response[travelv1.ListLandlordHomestaysResponse], error) {
	hs, next, err := s.app.ListLandlordHomestays(ctx, req.Msg.GetLandlordUserId(), int(req.Msg.GetPageSize()), req.Msg.GetPageToken())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.ListLandlordHomestaysResponse{Homestays: wire.Homestays(hs), NextPageToken: next}), nil
}
