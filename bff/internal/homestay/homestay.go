// Package homestay serves looklook.bff.v1.HomestayService: browsing homestays.
package homestay

import (
	"log/slog"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/compose"
	"github.com/looklook/looklook/bff/internal/downstream"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
)

// Server implements HomestayService.
type Server struct {
	clients  downstream.Clients
	composer *compose.Composer
	logger   *slog.Logger
}

var _ bffv1connect.HomestayServiceHandler = (*Server)(nil)

// New returns a Server.
func New(clients downstream.Clients, logger *slog.Logger) *Server {
	return &Server{clients: clients, composer: compose.New(clients, logger), logger: logger}
}

// Policies says who may call each HomestayService method. GetHomestay and ListGuessHomestays
// look at the caller when there is one: landlords see their own off-shelf homestays, and
// suggestions skip homestays the caller has reviewed.
func Policies() map[string]auth.Policy {
	return map[string]auth.Policy{
		bffv1connect.HomestayServiceListPreferredHomestaysProcedure: auth.Public,
		bffv1connect.HomestayServiceListGuessHomestaysProcedure:     auth.Optional,
		bffv1connect.HomestayServiceListBusinessHomestaysProcedure:  auth.Public,
		bffv1connect.HomestayServiceGetHomestayProcedure:            auth.Optional,
	}
}
