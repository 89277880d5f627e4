package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// GetBusiness implements travelv1connect.TravelServiceHandler.
func (s *Server) GetBusiness(ctx context.Context, req *connect.Request[travelv1.GetBusinessRequest]) (*connect.Response[travelv1.GetBusinessResponse], error) {
	b, err := s.app.GetBusiness(ctx, req.Msg.GetId())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.GetBusinessResponse{Business: wire.Business(b)}), nil
}
