// Package admin serves looklook.bff.v1.AdminService: editing the curated lists.
package admin

import (
	"context"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/downstream"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// Server implements AdminService.
type Server struct {
	clients downstream.Clients
}

var _ bffv1connect.AdminServiceHandler = (*Server)(nil)

// New returns a Server.
func New(clients downstream.Clients) *Server { return &Server{clients: clients} }

// Policies says who may call each AdminService method: admins only.
func Policies() map[string]auth.Policy {
	return map[string]auth.Policy{bffv1connect.AdminServiceSetActivityProcedure: auth.Admin}
}

// SetActivity adds, shows, hides or reorders an entry of a curated list.
func (s *Server) SetActivity(ctx context.Context, req *connect.Request[bffv1.SetActivityRequest]) (*connect.Response[bffv1.SetActivityResponse], error) {
	res, err := s.clients.Travel.SetActivity(ctx, connect.NewRequest(&travelv1.SetActivityRequest{
		Kind:      travelv1.ActivityKind(req.Msg.GetKind()),
		DataId:    req.Msg.GetDataId(),
		Enabled:   req.Msg.GetEnabled(),
		SortOrder: req.Msg.GetSortOrder(),
	}))
	if err != nil {
		return nil, rpcerror.Downstream(err)
	}
	a := res.Msg.GetActivity()
	return connect.NewResponse(&bffv1.SetActivityResponse{
		Kind: bffv1.ActivityKind(a.GetKind()), DataId: a.GetDataId(), Enabled: a.GetEnabled(), SortOrder: a.GetSortOrder(),
	}), nil
}
