package homestay

import (
	"context"

	"connectrpc.com/connect"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// ListPreferredHomestays pages through the curated list: one travel call for the page, one
// batch call for the business titles on the cards.
func (s *Server) ListPreferredHomestays(ctx context.Context, req *connect.Request[bffv1.ListPreferredHomestaysRequest]) (*connect.Response[bffv1.ListPreferredHomestaysResponse], error) {
	res, err := s.clients.Travel.ListPreferredHomestays(ctx, connect.NewRequest(&travelv1.ListPreferredHomestaysRequest{
		PageSize: req.Msg.GetPageSize(), PageToken: req.Msg.GetPageToken(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.ListPreferredHomestaysResponse{
		Homestays:     s.composer.Homestays(ctx, res.Msg.GetHomestays()),
		NextPageToken: res.Msg.GetNextPageToken(),
	}), nil
}
