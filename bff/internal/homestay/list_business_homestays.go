package homestay

import (
	"context"

	"connectrpc.com/connect"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// ListBusinessHomestays pages through a business's on-shelf homestays.
func (s *Server) ListBusinessHomestays(ctx context.Context, req *connect.Request[bffv1.ListBusinessHomestaysRequest]) (*connect.Response[bffv1.ListBusinessHomestaysResponse], error) {
	res, err := s.clients.Travel.ListBusinessHomestays(ctx, connect.NewRequest(&travelv1.ListBusinessHomestaysRequest{
		BusinessId: req.Msg.GetBusinessId(), PageSize: req.Msg.GetPageSize(), PageToken: req.Msg.GetPageToken(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.ListBusinessHomestaysResponse{
		Homestays:     s.composer.Homestays(ctx, res.Msg.GetHomestays()),
		NextPageToken: res.Msg.GetNextPageToken(),
	}), nil
}
