package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// ListBusinesses implements travelv1connect.TravelServiceHandler.
func (s *Server) ListBusinesses(ctx context.Context, req *connect.Request[travelv1.ListBusinessesRequest]) (*connect.Response[travelv1.ListBusinessesResponse], error) {
	bs, next, err := s.app.ListBusinesses(ctx, int(req.Msg.GetPageSize()), req.Msg.GetPageToken())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.ListBusinessesResponse{Businesses: wire.Businesses(bs), NextPageToken: next}), nil
}
