package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// BatchGetBusinesses implements travelv1connect.TravelServiceHandler.
func (s *Server) BatchGetBusinesses(ctx context.Context, req *connect.Request[travelv1.BatchGetBusinessesRequest]) (*connect.Response[travelv1.BatchGetBusinessesResponse], error) {
	bs, err := s.app.BatchGetBusinesses(ctx, req.Msg.GetIds())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.BatchGetBusinessesResponse{Businesses: wire.Businesses(bs)}), nil
}
