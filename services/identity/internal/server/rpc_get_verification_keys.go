package server

import (
	"context"

	"connectrpc.com/connect"

	identityv1 "github.com/looklook/looklook/gen/looklook/identity/v1"
	"github.com/looklook/looklook/platform/authtoken"
)

// GetVerificationKeys returns the public keys that verify access tokens.
func (s *Server) GetVerificationKeys(_ context.Context, _ *connect.Request[identityv1.GetVerificationKeysRequest]) (*connect.Response[identityv1.GetVerificationKeysResponse], error) {
	keys := s.svc.VerificationKeys()
	out := &identityv1.GetVerificationKeysResponse{
		Keys:   make([]*identityv1.VerificationKey, len(keys)),
		Issuer: authtoken.Issuer,
	}
	for i, k := range keys {
		out.Keys[i] = &identityv1.VerificationKey{KeyId: k.KeyID, Algorithm: k.Algorithm, PublicKey: k.PublicKey}
	}
	return connect.NewResponse(out), nil
}
