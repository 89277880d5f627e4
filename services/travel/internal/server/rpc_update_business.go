package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// UpdateBusiness implements travelv1connect.TravelServiceHandler.
func (s *Server) UpdateBusiness(ctx context.Context, req *connect.Request[travelv1.UpdateBusinessRequest]) (*connect.Response[travelv1.UpdateBusinessResponse], error) {
	m := req.Msg
	b, err := s.app.UpdateBusiness(ctx, m.GetId(), m.GetOwnerUserId(), m.GetVersion(), wire.AppBusinessFields(m.GetFields()))
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.UpdateBusinessResponse{Business: wire.Business(b)}), nil
}
