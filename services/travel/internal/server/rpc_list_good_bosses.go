package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// ListGoodBosses implements travelv1connect.TravelServiceHandler.
func (s *Server) ListGoodBosses(ctx context.Context, req *connect.Request[travelv1.ListGoodBossesRequest]) (*connect.Response[travelv1.ListGoodBossesResponse], error) {
	bs, err := s.app.ListGoodBosses(ctx, int(req.Msg.GetPageSize()))
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.ListGoodBossesResponse{Businesses: wire.Businesses(bs)}), nil
}
