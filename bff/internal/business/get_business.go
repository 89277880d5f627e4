package business

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// GetBusiness returns a business and its landlord's profile. The profile is optional: if
// usercenter fails, the business is still returned and "boss" is listed as degraded.
func (s *Server) GetBusiness(ctx context.Context, req *connect.Request[bffv1.GetBusinessRequest]) (*connect.Response[bffv1.GetBusinessResponse], error) {
	res, err := s.clients.Travel.GetBusiness(ctx, connect.NewRequest(&travelv1.GetBusinessRequest{Id: req.Msg.GetId()}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	b := res.Msg.GetBusiness()
	out := &bffv1.GetBusinessResponse{Business: convert.Business(b)}
	user, err := s.clients.Users.GetUser(ctx, connect.NewRequest(&usercenterv1.GetUserRequest{Id: b.GetOwnerUserId()}))
	if err != nil {
		s.logger.WarnContext(ctx, "business page without its landlord", "business_id", b.GetId(), "error", err.Error())
		out.Degraded = append(out.Degraded, "boss")
	} else {
		out.Boss = convert.Profile(user.Msg.GetUser())
	}
	return connect.NewResponse(out), nil
}
