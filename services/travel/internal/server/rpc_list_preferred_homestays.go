package server

import (
	"context"

	"connectrpc.com/connect"

	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/services/travel/internal/wire"
)

// ListPreferredHomestays implements travelv1connect.TravelServiceHandler.
func (s *Server) ListPreferredHomestays(ctx context.Context, req *connect.Request[travelv1.ListPreferredHomestaysRequest]) (*connect.Response[travelv1.ListPreferredHomestaysResponse], error) {
	hs, next, err := s.app.ListPreferredHomestays(ctx, int(req.Msg.GetPageSize()), req.Msg.GetPageToken())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&travelv1.ListPreferredHomestaysResponse{Homestays: wire.Homestays(hs), NextPageToken: next}), nil
}
