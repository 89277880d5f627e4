package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// GetBusinessByOwner implements travelv1connect.TravelServiceHandler.
func (s *Server) GetBusinessByOwner(ctx context.Context, req *connect.Request[travelv1.GetBusinessByOwnerRequest]) (*connect.Response[travelv1.GetBusinessByOwnerResponse], error) {
	b, err := s.app.GetBusinessByOwner(ctx, req.Msg.GetOwnerUserId())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.GetBusinessByOwnerResponse{Business: wire.Business(b)}), nil
}
