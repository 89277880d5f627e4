// Package account serves looklook.bff.v1.AccountService: sign-up, sign-in, sessions and the
// signed-in user's profile. Users live in usercenter; sessions and tokens in identity.
package account

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/auth"
	"github.com/looklook/looklook/bff/internal/convert"
	"github.com/looklook/looklook/bff/internal/downstream"
	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/gen/looklook/bff/v1/bffv1connect"
	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	usercenterv1 "github.com/looklook/looklook/gen/looklook/usercenter/v1"
	"github.com/looklook/looklook/platform/rpcerror"
)

// Server implements AccountService.
type Server struct {
	clients        downstream.Clients
	auth           *auth.Authenticator
	adminMobiles   []string
	clientIPHeader string
	logger         *slog.Logger
}

var _ bffv1connect.AccountServiceHandler = (*Server)(nil)

// Options configures a Server.
type Options struct {
	// AdminMobiles are the mobile numbers whose users get the admin role.
	AdminMobiles []string
	// ClientIPHeader, when set, names the header a trusted proxy puts the client's address in
	// (such as X-Forwarded-For); otherwise the connection's peer address is used.
	ClientIPHeader string
}

// New returns a Server.
func New(clients downstream.Clients, a *auth.Authenticator, opts Options, logger *slog.Logger) *Server {
	return &Server{clients: clients, auth: a, adminMobiles: opts.AdminMobiles, clientIPHeader: opts.ClientIPHeader, logger: logger}
}

// Policies says who may call each AccountService method.
func Policies() map[string]auth.Policy {
	return map[string]auth.Policy{
		bffv1connect.AccountServiceRegisterProcedure:      auth.Public,
		bffv1connect.AccountServiceLoginProcedure:         auth.Public,
		bffv1connect.AccountServiceRefreshTokensProcedure: auth.Public,
		bffv1connect.AccountServiceLogoutProcedure:        auth.User,
		bffv1connect.AccountServiceGetMeProcedure:         auth.User,
		bffv1connect.AccountServiceUpdateMeProcedure:      auth.User,
	}
}

// roles works out a user's roles when a session starts. Admins are configured by mobile
// number; landlords are users who own a business. If travel cannot answer, the user signs in
// without the landlord role rather than not at all; the next sign-in or refresh after GrantRole
// brings it back.
func (s *Server) roles(ctx context.Context, u *usercenterv1.User) []string {
	roles := []string{"user"}
	if slices.Contains(s.adminMobiles, u.GetMobile()) {
		roles = append(roles, "admin")
	}
	_, err := s.clients.Travel.GetBusinessByOwner(ctx, connect.NewRequest(&travelv1.GetBusinessByOwnerRequest{OwnerUserId: u.GetId()}))
	switch {
	case err == nil:
		roles = append(roles, "landlord")
	case connect.CodeOf(err) != connect.CodeNotFound:
		s.logger.WarnContext(ctx, "could not check landlord role", "user_id", u.GetId(), "error", err.Error())
	}
	return roles
}

// startSession works out the user's roles and asks identity for a new session's tokens; Register
// and Login end with it.
func (s *Server) startSession(ctx context.Context, u *usercenterv1.User) (*bffv1.AuthTokens, *bffv1.User, error) {
	roles := s.roles(ctx, u)
	res, err := s.clients.Identity.IssueTokens(ctx, connect.NewRequest(&identityv1.IssueTokensRequest{UserId: u.GetId(), Roles: roles}))
	if err != nil {
		return nil, nil, rpcerror.Downstream(err)
	}
	return convert.Tokens(res.Msg.GetTokens()), convert.User(u, roles), nil
}

// clientAddress identifies the caller for sign-in rate limiting.
func (s *Server) clientAddress(peer connect.Peer, header http.Header) string {
	if s.clientIPHeader != "" {
		if v := header.Get(s.clientIPHeader); v != "" {
			first, _, _ := strings.Cut(v, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(peer.Addr)
	if err != nil {
		return peer.Addr
	}
	return host
}
