package main

import (
	"context"
	"log/slog"
	"net"
	"sync/atomic"

	"connectrpc.com/connect"

	bffv1 "github.com/looklook/looklook/gen/looklook/bff/v1"
	"github.com/looklook/looklook/platform/server"
)

// Echo service of the S0 ceiling. It is not in any .proto: it reuses the BFF's GetHomestay
// messages, and answers with a canned GetHomestay response the size of a real one, so S0 costs
// what S1 costs minus the work behind the handler.
const (
	echoServiceName = "looklook.bench.v1.EchoService"
	echoProcedure   = "/" + echoServiceName + "/Echo"
)

// echoReply holds the canned response; S0 sets it to a real detail page before it runs.
type echoReply struct {
	v atomic.Pointer[bffv1.GetHomestayResponse]
}

// runEcho serves the echo handler through the platform's server bootstrap and handler options
// (request log, validation, recovery) until ctx is done.
func runEcho(ctx context.Context, ln net.Listener, reply *echoReply, logger *slog.Logger) error {
	reply.v.CompareAndSwap(nil, &bffv1.GetHomestayResponse{})
	h := connect.NewUnaryHandler(echoProcedure,
		func(_ context.Context, req *connect.Request[bffv1.GetHomestayRequest]) (*connect.Response[bffv1.GetHomestayResponse], error) {
			return connect.NewResponse(reply.v.Load()), nil
		},
		server.HandlerOptions(logger, server.Interceptors{})...,
	)
	return server.Run(ctx, server.Options{
		Name: "echo", Listener: ln, Logger: logger,
		Services: []server.Service{{Name: echoServiceName, Path: echoProcedure, Handler: h}},
	})
}
