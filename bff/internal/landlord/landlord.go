// Package landlord serves looklook.bff.v1.LandlordService: a landlord running their business.
// The caller's user id always comes from the verified token, never from the request, and travel
// checks ownership of every business and homestay it changes.
package landlord

import (
	"log/slog"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/compose"
	"github.com/looklook/looklook/bff/internal/downstream"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
)

// Server implements LandlordService.
type Server struct {
	clients  downstream.Clients
	composer *compose.Composer
	logger   *slog.Logger
}

var _ bffv1connect.LandlordServiceHandler = (*Server)(nil)

// New returns a Server.
func New(clients downstream.Clients, logger *slog.Logger) *Server {
	return &Server{clients: clients, composer: compose.New(clients, logger), logger: logger}
}

// Policies says who may call each LandlordService method: any signed-in user may open a
// business; the rest needs the landlord role.
func Policies() map[string]auth.Policy {
	return map[string]auth.Policy{
		bffv1connect.LandlordServiceCreateBusinessProcedure:     auth.User,
		bffv1connect.LandlordServiceUpdateBusinessProcedure:     auth.Landlord,
		bffv1connect.LandlordServiceCreateHomestayProcedure:     auth.Landlord,
		bffv1connect.LandlordServiceUpdateHomestayProcedure:     auth.Landlord,
		bffv1connect.LandlordServiceSetHomestayOnShelfProcedure: auth.Landlord,
		bffv1connect.LandlordServiceListMyHomestaysProcedure:    auth.Landlord,
		bffv1connect.LandlordServiceGetMyBusinessProcedure:      auth.User,
	}
}
