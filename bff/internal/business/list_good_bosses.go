package business

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// ListGoodBosses returns the curated landlords, ranked by travel by their real rating, with
// their profiles from one BatchGetUsers call.
func (s *Server) ListGoodBosses(ctx context.Context, req *connect.Request[bffv1.ListGoodBossesRequest]) (*connect.Response[bffv1.ListGoodBossesResponse], error) {
	res, err := s.clients.Travel.ListGoodBosses(ctx, connect.NewRequest(&travelv1.ListGoodBossesRequest{PageSize: req.Msg.GetPageSize()}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	owners := make([]int64, 0, len(res.Msg.GetBusinesses()))
	for _, b := range res.Msg.GetBusinesses() {
		owners = append(owners, b.GetOwnerUserId())
	}
	profiles, err := s.composer.Profiles(ctx, owners)
	if err != nil {
		// A boss without a name is not a useful list entry: fail rather than show blanks.
		return nil, rpcerror.Downstream(err)
	}
	out := &bffv1.ListGoodBossesResponse{}
	for i, b := range res.Msg.GetBusinesses() {
		profile := profiles[b.GetOwnerUserId()]
		if profile == nil {
			continue
		}
		out.Bosses = append(out.Bosses, &bffv1.Boss{Profile: profile, Business: convert.Business(b), Rank: int32(i + 1)})
	}
	return connect.NewResponse(out), nil
}
