// Package rpcclient builds the HTTP client services use to call each other.
package rpcclient

import (
	"net"
	"net/http"
	"time"
)

// NewHTTPClient returns a client that speaks unencrypted HTTP/2 (h2c) to looklook services, as
// they listen without TLS inside the cluster or on loopback. HTTP/2 multiplexes every concurrent
// call over a few connections, which is what the BFF's fan-out wants.
func NewHTTPClient() *http.Client {
	protocols := new(http.Protocols)
	protocols.SetUnencryptedHTTP2(true)
	return &http.Client{
		Transport: &http.Transport{
			Protocols: protocols,
			DialContext: (&net.Dialer{
				Timeout:   2 * time.Second,
				KeepAlive: 30 * time.Second,
			}).DialContext,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			HTTP2: &http.HTTP2Config{
				PingTimeout:     5 * time.Second,
				SendPingTimeout: 15 * time.Second,
			},
		},
	}
}
