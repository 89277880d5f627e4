package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// ListGuessHomestays implements travelv1connect.TravelServiceHandler.
func (s *Server) ListGuessHomestays(ctx context.Context, req *connect.Request[travelv1.ListGuessHomestaysRequest]) (*connect.Response[travelv1.ListGuessHomestaysResponse], error) {
	hs, err := s.app.ListGuessHomestays(ctx, req.Msg.GetUserId(), int(req.Msg.GetPageSize()))
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.ListGuessHomestaysResponse{Homestays: wire.Homestays(hs)}), nil
}
