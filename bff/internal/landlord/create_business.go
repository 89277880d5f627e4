package landlord

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// CreateBusiness opens the caller's business and grants them the landlord role, which their
// next token refresh carries. If the grant fails the business still exists, and the role is
// found again at the next sign-in (the BFF checks for a business then), so the call succeeds.
func (s *Server) CreateBusiness(ctx context.Context, req *connect.Request[bffv1.CreateBusinessRequest]) (*connect.Response[bffv1.CreateBusinessResponse], error) {
	claims, ok := auth.ClaimsFrom(ctx)
	if !ok {
		return nil, rpcerror.New(connect.CodeUnauthenticated, "sign in required")
	}
	res, err := s.clients.Travel.CreateBusiness(ctx, connect.NewRequest(&travelv1.CreateBusinessRequest{
		OwnerUserId: claims.UserID, Fields: convert.BusinessFields(req.Msg.GetBusiness()),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	if _, err := s.clients.Identity.GrantRole(ctx, connect.NewRequest(&identityv1.GrantRoleRequest{UserId: claims.UserID, Role: "landlord"})); err != nil {
		s.logger.WarnContext(ctx, "landlord role not granted; it applies from the next sign-in", "user_id", claims.UserID, "error", err.Error())
	}
	return connect.NewResponse(&bffv1.CreateBusinessResponse{Business: convert.Business(res.Msg.GetBusiness())}), nil
}
