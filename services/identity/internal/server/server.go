// Package server adapts identity's app.Service to the looklook.identity.v1 Connect API: one RPC
// per file, each a thin translation between protobuf messages and app calls, with every error
// passed through errors.go.
package server

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/gen/looklook/identity/v1/identityv1connect"
	"github.com/looklook/looklook/services/identity/internal/app"
)

// Server serves IdentityService. Requests reach it already validated by protovalidate.
type Server struct {
	svc *app.Service
}

var _ identityv1connect.IdentityServiceHandler = (*Server)(nil)

// New returns a server for svc.
func New(svc *app.Service) *Server { return &Server{svc: svc} }

func toAuthTokens(p app.TokenPair) *identityv1.AuthTokens {
	return &identityv1.AuthTokens{
		AccessToken:       p.AccessToken,
		RefreshToken:      p.RefreshToken,
		AccessExpireTime:  timestamp(p.AccessExpiresAt),
		RefreshExpireTime: timestamp(p.RefreshExpiresAt),
	}
}

func timestamp(t time.Time) *timestamppb.Timestamp { return timestamppb.New(t) }
