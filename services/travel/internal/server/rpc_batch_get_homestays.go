package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// BatchGetHomestays implements travelv1connect.TravelServiceHandler.
func (s *Server) BatchGetHomestays(ctx context.Context, req *connect.Request[travelv1.BatchGetHomestaysRequest]) (*connect.Response[travelv1.BatchGetHomestaysResponse], error) {
	hs, err := s.app.BatchGetHomestays(ctx, req.Msg.GetIds(), req.Msg.GetViewerUserId())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.BatchGetHomestaysResponse{Homestays: wire.Homestays(hs)}), nil
}
