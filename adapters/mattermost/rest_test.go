package mattermost

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRESTAnswersKeepStatusHeadersAndMattermostsMessage(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		body       string
		wantStatus int
		wantErr    string
	}{
		{"Mattermost's error", http.StatusForbidden, `{"id":"api.context.permissions.app_error","message":"You do not have the appropriate permissions.","detailed_error":"","status_code":403}`,
			http.StatusForbidden, "You do not have the appropriate permissions."},
		{"message and detail", http.StatusBadRequest, `{"id":"x","message":"Invalid or missing post_id.","detailed_error":"post_id=1"}`,
			http.StatusBadRequest, "Invalid or missing post_id., post_id=1"},
		{"upload over the size limit", http.StatusRequestEntityTooLarge, "http: request body too large\n",
			http.StatusRequestEntityTooLarge, "http: request body too large"},
		{"an empty refusal", http.StatusBadGateway, "", http.StatusBadGateway, "502 Bad Gateway"},
		{"an unreadable success", http.StatusOK, "<html>", http.StatusOK, "unreadable answer: invalid character '<' looking for beginning of value"},
		{"success", http.StatusOK, `{"id":"u1","username":"anna","is_bot":false}`, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/api/v4/users/u1" || r.Header.Get("Authorization") != "Bearer tok" {
					t.Errorf("%s with %q", r.URL.Path, r.Header.Get("Authorization"))
				}
				w.Header().Set("Retry-After", "7")
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c := &client{url: srv.URL, token: "tok", http: srv.Client()}
			u, err := c.user(context.Background(), "u1")
			if got := httpStatus(err); got != tc.wantStatus {
				t.Errorf("status %d, want %d", got, tc.wantStatus)
			}
			if tc.wantErr == "" {
				if err != nil || u.Username != "anna" {
					t.Errorf("user %+v, error %v", u, err)
				}
				return
			}
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if e := err.(*apiError); e.Header.Get("Retry-After") != "7" {
				t.Errorf("headers not kept: %v", e.Header)
			}
		})
	}
}

func TestRESTWithoutAnAnswerHasNoStatus(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens any more
	c := &client{url: srv.URL, token: "tok", http: http.DefaultClient}
	if _, err := c.user(context.Background(), "u1"); err == nil || httpStatus(err) != 0 {
		t.Errorf("error %v with status %d", err, httpStatus(err))
	}
}
