package server

import (
	"context"

	"connectrpc.com/connect"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/services/usercenter/internal/app"
)

// UpdateUser changes the fields that are set, bumps the version and returns the user.
func (s *Server) UpdateUser(ctx context.Context, req *connect.Request[usercenterv1.UpdateUserRequest]) (*connect.Response[usercenterv1.UpdateUserResponse], error) {
	m := req.Msg
	p := app.UserPatch{Nickname: m.Nickname, Avatar: m.Avatar, Info: m.Info}
	if m.Sex != nil {
		sex := app.Sex(m.GetSex())
		p.Sex = &sex
	}
	u, err := s.app.UpdateUser(ctx, m.GetId(), p)
	if err != nil {
		return nil, publicError(err)
	}
	return connect.NewResponse(&usercenterv1.UpdateUserResponse{User: toProto(u)}), nil
}
