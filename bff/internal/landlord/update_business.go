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

// UpdateBusiness replaces the caller's business's fields if the version still matches.
func (s *Server) UpdateBusiness(ctx context.Context, req *connect.Request[bffv1.UpdateBusinessRequest]) (*connect.Response[bffv1.UpdateBusinessResponse], error) {
	claims, _ := auth.ClaimsFrom(ctx)
	res, err := s.clients.Travel.UpdateBusiness(ctx, connect.NewRequest(&travelv1.UpdateBusinessRequest{
		Id: req.Msg.GetId(), OwnerUserId: claims.UserID, Version: req.Msg.GetVersion(),
		Fields: convert.BusinessFields(req.Msg.GetBusiness()),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.UpdateBusinessResponse{Business: convert.Business(res.Msg.GetBusiness())}), nil
}
