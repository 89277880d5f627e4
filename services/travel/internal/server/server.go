// Package server is travel's Connect handler: one file per RPC, each translating the request
// into a call of internal/app and the result into the response. Errors pass through errors.go,
// so clients only ever see public messages.
package server

import (
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
	"github.com/looklook/looklook/services/travel/internal/app"
)

// Server implements travelv1connect.TravelServiceHandler.
type Server struct {
	app *app.Service
}

var _ travelv1connect.TravelServiceHandler = (*Server)(nil)

// New returns a Server over the rules in svc.
func New(svc *app.Service) *Server {
	return &Server{app: svc}
}
