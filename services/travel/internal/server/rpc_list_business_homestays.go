package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// ListBusinessHomestays implements travelv1connect.TravelServiceHandler.
func (s *Server) ListBusinessHomestays(ctx context.Context, req *connect.Request[travelv1.ListBusinessHomestaysRequest]) (*connect.Response[travelv1.ListBusinessHomestaysResponse], error) {
	hs, next, err := s.app.ListBusinessHomestays(ctx, req.Msg.GetBusinessId(), int(req.Msg.GetPageSize()), req.Msg.GetPageToken())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.ListBusinessHomestaysResponse{Homestays: wire.Homestays(hs), NextPageToken: next}), nil
}
