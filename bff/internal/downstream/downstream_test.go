package downstream_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/looklook/looklook/bff/internal/downstream"
	travelv1 "github.com/looklook/looklook/gen/looklook/travel/v1"
	"github.com/looklook/looklook/gen/looklook/travel/v1/travelv1connect"
)

// travel answers GetHomestay and records what the call asked for.
type travel struct {
	travelv1connect.UnimplementedTravelServiceHandler
	acceptEncoding chan string
	deadline       chan time.Duration
}

func (t *travel) GetHomestay(ctx context.Context, req *connect.Request[travelv1.GetHomestayRequest]) (*connect.Response[travelv1.GetHomestayResponse], error) {
	t.acceptEncoding <- req.Header().Get("Accept-Encoding")
	dl, _ := ctx.Deadline()
	t.deadline <- time.Until(dl)
	return connect.NewResponse(&travelv1.GetHomestayResponse{Homestay: &travelv1.Homestay{Id: req.Msg.GetId()}}), nil
}

// TestClientsAskForUncompressedAnswersWithinTheirDeadline checks the two things New adds to
// every call: no gzip between services, and a deadline of at most the call timeout.
func TestClientsAskForUncompressedAnswersWithinTheirDeadline(t *testing.T) {
	h := &travel{acceptEncoding: make(chan string, 1), deadline: make(chan time.Duration, 1)}
	path, handler := travelv1connect.NewTravelServiceHandler(h)
	mux := http.NewServeMux()
	mux.Handle(path, handler)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	clients := downstream.New(srv.Client(), downstream.URLs{Travel: srv.URL}, 2*time.Second)
	res, err := clients.Travel.GetHomestay(context.Background(), connect.NewRequest(&travelv1.GetHomestayRequest{Id: 7}))
	if err != nil || res.Msg.GetHomestay().GetId() != 7 {
		t.Fatalf("GetHomestay = %v, %v", res, err)
	}
	if got := <-h.acceptEncoding; got != "identity" {
		t.Fatalf("Accept-Encoding = %q, want identity (no gzip between services)", got)
	}
	if got := <-h.deadline; got <= 0 || got > 2*time.Second {
		t.Fatalf("the call's remaining deadline at the service = %v, want (0, 2s]", got)
	}
}
