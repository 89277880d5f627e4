package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// CreateBusiness implements travelv1connect.TravelServiceHandler.
func (s *Server) CreateBusiness(ctx context.Context, req *connect.Request[travelv1.CreateBusinessRequest]) (*connect.Response[travelv1.CreateBusinessResponse], error) {
	b, err := s.app.CreateBusiness(ctx, req.Msg.GetOwnerUserId(), wire.AppBusinessFields(req.Msg.GetFields()))
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.CreateBusinessResponse{Business: wire.Business(b)}), nil
}
