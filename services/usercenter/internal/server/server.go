// Package server exposes usercenter's app over Connect, gRPC and gRPC-Web: thin handlers that
// turn requests into app calls and app results and errors into responses.
package server

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/gen/looklook/usercenter/v1/usercenterv1connect"
	"github.com/looklook/looklook/services/usercenter/internal/app"
)

// Server implements usercenterv1connect.UserServiceHandler.
type Server struct {
	app *app.Service
}

var _ usercenterv1connect.UserServiceHandler = (*Server)(nil)

// New returns a Server backed by svc.
func New(svc *app.Service) *Server {
	return &Server{app: svc}
}

func toProto(u app.User) *usercenterv1.User {
	return &usercenterv1.User{
		Id:         u.ID,
		Mobile:     u.Mobile,
		Nickname:   u.Nickname,
		Sex:        usercenterv1.Sex(u.Sex),
		Avatar:     u.Avatar,
		Info:       u.Info,
		Version:    u.Version,
		CreateTime: timestamppb.New(u.CreateTime),
		UpdateTime: timestamppb.New(u.UpdateTime),
	}
}
