package server

import (
	"context"

	"connectrpc.com/connect"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
)

// IssueTokens starts a session and returns its first token pair.
func (s *Server) IssueTokens(ctx context.Context, req *connect.Request[identityv1.IssueTokensRequest]) (*connect.Response[identityv1.IssueTokensResponse], error) {
	id, pair, err := s.svc.IssueTokens(ctx, req.Msg.GetUserId(), req.Msg.GetRoles())
	if err != nil {
		return nil, toConnect(err)
	}
	return connect.NewResponse(&identityv1.IssueTokensResponse{
		Tokens:    toAuthTokens(pair),
		SessionId: id.String(),
	}), nil
}
