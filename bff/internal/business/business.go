// Package business serves looklook.bff.v1.BusinessService: browsing businesses and landlords.
package business

import (
	"log/slog"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/compose"
	"github.com/looklook/looklook/bff/internal/downstream"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
)

// Server implements BusinessService.
type Server struct {
	clients  downstream.Clients
	composer *compose.Composer
	logger   *slog.Logger
}

var _ bffv1connect.BusinessServiceHandler = (*Server)(nil)

// New returns a Server.
func New(clients downstream.Clients, logger *slog.Logger) *Server {
	return &Server{clients: clients, composer: compose.New(clients, logger), logger: logger}
}

// Policies says who may call each BusinessService method: anyone.
func Policies() map[string]auth.Policy {
	return map[string]auth.Policy{
		bffv1connect.BusinessServiceListGoodBossesProcedure: auth.Public,
		bffv1connect.BusinessServiceListBusinessesProcedure: auth.Public,
		bffv1connect.BusinessServiceGetBusinessProcedure:    auth.Public,
	}
}
