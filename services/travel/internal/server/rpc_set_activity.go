package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/app"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// SetActivity implements travelv1connect.TravelServiceHandler.
func (s *Server) SetActivity(ctx context.Context, req *connect.Request[travelv1.SetActivityRequest]) (*connect.Response[travelv1.SetActivityResponse], error) {
	m := req.Msg
	a, err := s.app.SetActivity(ctx, app.Activity{
		Kind:      app.ActivityKind(m.GetKind()),
		DataID:    m.GetDataId(),
		Enabled:   m.GetEnabled(),
		SortOrder: m.GetSortOrder(),
	})
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.SetActivityResponse{Activity: wire.Activity(a)}), nil
}
