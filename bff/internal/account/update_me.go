package account

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/convert"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// UpdateMe changes the fields the caller set on their own account.
func (s *Server) UpdateMe(ctx context.Context, req *connect.Request[bffv1.UpdateMeRequest]) (*connect.Response[bffv1.UpdateMeResponse], error) {
	claims, ok := auth.ClaimsFrom(ctx)
	if !ok {
		return nil, rpcerror.New(connect.CodeUnauthenticated, "sign in required")
	}
	in := &usercenterv1.UpdateUserRequest{
		Id:       claims.UserID,
		Nickname: req.Msg.Nickname,
		Avatar:   req.Msg.Avatar,
		Info:     req.Msg.Info,
	}
	if req.Msg.Sex != nil {
		sex := usercenterv1.Sex(req.Msg.GetSex())
		in.Sex = &sex
	}
	res, err := s.clients.Users.UpdateUser(ctx, connect.NewRequest(in))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	return connect.NewResponse(&bffv1.UpdateMeResponse{User: convert.User(res.Msg.GetUser(), claims.Roles)}), nil
}
