package business

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// ListBusinesses pages through businesses.
func (s *Server) ListBusinesses(ctx context.Context, req *connect.Request[bffv1.ListBusinessesRequest]) (*connect.Response[bffv1.ListBusinessesResponse], error) {
	res, err := s.clients.Travel.ListBusinesses(ctx, connect.NewRequest(&travelv1.ListBusinessesRequest{
		PageSize: req.Msg.GetPageSize(), PageToken: req.Msg.GetPageToken(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	out := &bffv1.ListBusinessesResponse{NextPageToken: res.Msg.GetNextPageToken()}
	for _, b := range res.Msg.GetBusinesses() {
		out.Businesses = append(out.Businesses, convert.Business(b))
	}
	return connect.NewResponse(out), nil
}
