package slack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// fakeSlack is a Web API server that records what the bot sent.
type fakeSlack struct {
	*httptest.Server
	mu        sync.Mutex
	calls     []apiCall
	limitNext int             // answer the next N calls with 429
	socketURL string          // what apps.connections.open hands out
	admins    map[string]bool // users.info says these users are workspace admins

	// When set, auth.test and apps.connections.open accept only these
	// tokens, and auth.test lists scopes in X-OAuth-Scopes.
	botToken, appToken, scopes string
}

type apiCall struct {
	Method string
	Form   url.Values
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		method := strings.TrimPrefix(r.URL.Path, "/api/")
		f.mu.Lock()
		if f.limitNext > 0 {
			f.limitNext--
			f.mu.Unlock()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		f.calls = append(f.calls, apiCall{Method: method, Form: r.PostForm})
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		token := r.PostForm.Get("token")
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			token = bearer
		}
		f.mu.Lock()
		botToken, appToken, scopes := f.botToken, f.appToken, f.scopes
		f.mu.Unlock()
		switch method {
		case "auth.test":
			if botToken != "" && token != botToken {
				fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			if scopes != "" {
				w.Header().Set("X-OAuth-Scopes", scopes)
			}
			fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","team":"raad","user":"waardenbot"}`)
		case "chat.postMessage":
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.000100"}`, r.PostForm.Get("channel"))
		case "apps.connections.open":
			if appToken != "" && token != appToken {
				if strings.HasPrefix(token, "xoxb-") {
					fmt.Fprint(w, `{"ok":false,"error":"not_allowed_token_type"}`)
				} else {
					fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
				}
				return
			}
			f.mu.Lock()
			fmt.Fprintf(w, `{"ok":true,"url":%q}`, f.socketURL)
			f.mu.Unlock()
		case "users.info":
			f.mu.Lock()
			admin := f.admins[r.PostForm.Get("user")]
			f.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"is_admin":%t}}`, r.PostForm.Get("user"), admin)
		case "chat.postEphemeral":
			fmt.Fprint(w, `{"ok":true,"message_ts":"1700000000.000200"}`)
		default:
			fmt.Fprint(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSlack) sent(method string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}
