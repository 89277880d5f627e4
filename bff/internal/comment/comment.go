// Package comment serves looklook.bff.v1.CommentService: reading and writing reviews.
package comment

import (
	"log/slog"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/compose"
	"github.com/looklook/looklook/bff/internal/downstream"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
)

// Server implements CommentService.
type Server struct {
	clients  downstream.Clients
	composer *compose.Composer
	logger   *slog.Logger
}

var _ bffv1connect.CommentServiceHandler = (*Server)(nil)

// New returns a Server.
func New(clients downstream.Clients, logger *slog.Logger) *Server {
	return &Server{clients: clients, composer: compose.New(clients, logger), logger: logger}
}

// Policies says who may call each CommentService method.
func Policies() map[string]auth.Policy {
	return map[string]auth.Policy{
		bffv1connect.CommentServiceListCommentsProcedure:  auth.Public,
		bffv1connect.CommentServiceCreateCommentProcedure: auth.User,
	}
}
