package auth

import (
	"context"
	"net/http"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/platform/rpcerror"
)

// Interceptor enforces the procedure policies and puts the caller's claims in the context.
func (a *Authenticator) Interceptor() connect.Interceptor { return &interceptor{a: a} }

type interceptor struct{ a *Authenticator }

func (i *interceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		ctx, err := i.a.check(ctx, req.Spec().Procedure, req.Header())
		if err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

func (i *interceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (i *interceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		ctx, err := i.a.check(ctx, conn.Spec().Procedure, conn.RequestHeader())
		if err != nil {
			return err
		}
		return next(ctx, conn)
	}
}

var (
	errNeedLandlord = rpcerror.New(connect.CodePermissionDenied, "landlord role required: create your business, then refresh your tokens")
	errNeedAdmin    = rpcerror.New(connect.CodePermissionDenied, "admin role required")
)

func (a *Authenticator) check(ctx context.Context, procedure string, header http.Header) (context.Context, error) {
	policy, ok := a.opts.Policies[procedure]
	if !ok {
		policy = User
	}
	if policy == Public {
		return ctx, nil
	}
	token, present := BearerToken(header.Get("Authorization"))
	if !present {
		if policy == Optional {
			return ctx, nil
		}
		return ctx, errMissingToken
	}
	claims, err := a.Authenticate(ctx, token)
	if err != nil {
		return ctx, err
	}
	switch {
	case policy == Landlord && !claims.HasRole("landlord"):
		return ctx, errNeedLandlord
	case policy == Admin && !claims.HasRole("admin"):
		return ctx, errNeedAdmin
	}
	return WithClaims(ctx, claims), nil
}
