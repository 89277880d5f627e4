package landlord

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// GetMyBusiness returns the caller's business, or NotFound when they have none yet.
func (s *Server) GetMyBusiness(ctx context.Context, _ *connect.Request[bffv1.GetMyBusinessRequest]) (*connect.Response[bffv1.GetMyBusinessResponse], error) {
	claims, ok := auth.ClaimsFrom(ctx)
	if !ok {
		return nil, rpcerror.New(connect.CodeUnauthenticated, "sign in required")
	}
	res, err := s.clients.Travel.GetBusinessByOwner(ctx, connect.NewRequest(&travelv1.GetBusinessByOwnerRequest{OwnerUserId: claims.UserID}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.GetMyBusinessResponse{Business: convert.Business(res.Msg.GetBusiness())}), nil
}
