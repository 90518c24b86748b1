package devserver

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// Token types of the "token_type" claim [JWT].
const (
	tokenAccess  = "access"
	tokenRefresh = "refresh"
)

// identityID is the id of the single demo identity.
const identityID = 1

// tokenClaims are the claims Attune puts in its HS256 JWTs: sub (identity id
// as a string), login, iat, exp, token_type. A random jti makes rotated
// tokens differ even within one second.
type tokenClaims struct {
	jwt.RegisteredClaims
	Login     string `json:"login"`
	TokenType string `json:"token_type"`
}

func (s *Server) issue(tokenType string) (string, error) {
	ttl := s.opts.AccessTTL
	if tokenType == tokenRefresh {
		ttl = s.opts.RefreshTTL
	}
	now := s.now()
	jti := make([]byte, 8)
	if _, err := rand.Read(jti); err != nil {
		return "", fmt.Errorf("token id: %w", err)
	}
	claims := tokenClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   strconv.Itoa(identityID),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			ID:        hex.EncodeToString(jti),
		},
		Login:     s.opts.Login,
		TokenType: tokenType,
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.secret)
	if err != nil {
		return "", fmt.Errorf("sign %s token: %w", tokenType, err)
	}
	return signed, nil
}

// errTokenExpired and errTokenInvalid classify a rejected token.
var (
	errTokenExpired = errors.New("token expired")
	errTokenInvalid = errors.New("token invalid")
)

func (s *Server) parseToken(raw string) (*tokenClaims, error) {
	claims := &tokenClaims{}
	if err := s.parseClaims(raw, claims); err != nil {
		return nil, err
	}
	return claims, nil
}

// parseClaims verifies raw (HS256, exp required, by the server clock) into
// claims.
func (s *Server) parseClaims(raw string, claims jwt.Claims) error {
	_, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(s.now),
		jwt.WithExpirationRequired(),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return errTokenExpired
	case err != nil:
		return errTokenInvalid
	}
	return nil
}

// bearer authenticates r with an access token. The returned message is the
// upstream auth-middleware message when it fails.
func (s *Server) bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "Missing authentication token", false
	}
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || raw == "" {
		return "Invalid authentication token", false
	}
	claims, err := s.parseToken(raw)
	switch {
	case errors.Is(err, errTokenExpired):
		return "Authentication token expired", false
	case err != nil:
		return "Invalid authentication token", false
	case claims.TokenType != tokenAccess:
		// Refresh tokens are not bearer credentials [AUTHMW].
		return "Invalid authentication token", false
	}
	return "", true
}

// requireAuth is the auth middleware of /api/v1: 401 in the
// {"error":{"code":401,"message":...}} shape.
func (s *Server) requireAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg, ok := s.bearer(r); !ok {
			authError(w, http.StatusUnauthorized, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// decodeJSONBody mimics axum's Json extractor: 415 without a JSON content
// type, 400 for syntax errors, 422 for a body of the wrong shape. It reports
// false after writing the rejection.
func decodeJSONBody(w http.ResponseWriter, r *http.Request, dst any, required ...string) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		plainError(w, http.StatusUnsupportedMediaType, "Expected request with `Content-Type: application/json`")
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		plainError(w, http.StatusBadRequest, "Failed to buffer the request body: "+err.Error())
		return false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) || !json.Valid(body) {
			plainError(w, http.StatusBadRequest, "Failed to parse the request body as JSON: "+err.Error())
			return false
		}
		plainError(w, http.StatusUnprocessableEntity, "Failed to deserialize the JSON body into the target type: "+err.Error())
		return false
	}
	for _, f := range required {
		if _, ok := fields[f]; !ok {
			plainError(w, http.StatusUnprocessableEntity,
				"Failed to deserialize the JSON body into the target type: missing field `"+f+"`")
			return false
		}
	}
	if err := json.Unmarshal(body, dst); err != nil {
		plainError(w, http.StatusUnprocessableEntity, "Failed to deserialize the JSON body into the target type: "+err.Error())
		return false
	}
	return true
}

func (s *Server) tokens(withUser bool) (*tokenResponse, error) {
	access, err := s.issue(tokenAccess)
	if err != nil {
		return nil, err
	}
	refresh, err := s.issue(tokenRefresh)
	if err != nil {
		return nil, err
	}
	resp := &tokenResponse{
		AccessToken:  access,
		RefreshToken: refresh,
		TokenType:    "Bearer",
		ExpiresIn:    int64(s.opts.AccessTTL.Seconds()),
	}
	if withUser {
		resp.User = &userInfo{ID: identityID, Login: s.opts.Login, DisplayName: ptr("Demo User")}
	}
	return resp, nil
}

// handleLogin serves POST /auth/login.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if !decodeJSONBody(w, r, &req, "login", "password") {
		return
	}
	switch n := utf8.RuneCountInString(req.Login); {
	case n < 1 || n > 255:
		apiError(w, http.StatusUnprocessableEntity, "VALIDATION_ERROR",
			"Invalid login request: login: Login must be between 1 and 255 characters")
		return
	case req.Password == "":
		apiError(w, http.StatusUnprocessableEntity, "VALIDATION_ERROR",
			"Invalid login request: password: Password is required")
		return
	}
	userOK := subtle.ConstantTimeCompare([]byte(req.Login), []byte(s.opts.Login)) == 1
	passOK := subtle.ConstantTimeCompare([]byte(req.Password), []byte(s.opts.Password)) == 1
	if !userOK || !passOK {
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Invalid login or password")
		return
	}
	resp, err := s.tokens(true)
	if err != nil {
		apiError(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "Failed to issue tokens")
		return
	}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: resp})
}

// handleRefresh serves POST /auth/refresh: a valid refresh token gives a new
// access and a new refresh token (no user block).
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RefreshToken string `json:"refresh_token"`
	}
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		// No JSON body: upstream falls back to the browser refresh cookie,
		// which this server never sets.
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Invalid or expired refresh token")
		return
	}
	if !decodeJSONBody(w, r, &req, "refresh_token") {
		return
	}
	claims, err := s.parseToken(req.RefreshToken)
	if err != nil {
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Invalid or expired refresh token")
		return
	}
	if claims.TokenType != tokenRefresh {
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Invalid token type")
		return
	}
	resp, err := s.tokens(false)
	if err != nil {
		apiError(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "Failed to issue tokens")
		return
	}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: resp})
}

// handleMe serves GET /auth/me. Its 401 uses the handler shape [RT-AUTH].
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.bearer(r); !ok {
		apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Unauthorized")
		return
	}
	read := []string{"read"}
	writeJSON(w, http.StatusOK, dataEnvelope{Data: currentUser{
		ID:                identityID,
		Login:             s.opts.Login,
		DisplayName:       ptr("Demo User"),
		AuthProvider:      "local",
		IsLocal:           true,
		CanChangePassword: true,
		EffectivePermissions: []permission{
			{Resource: "events", Actions: read},
			{Resource: "enforcements", Actions: read},
			{Resource: "executions", Actions: read},
			{Resource: "rules", Actions: read},
			{Resource: "triggers", Actions: read},
			{Resource: "sensors", Actions: read},
		},
		AssignedPermissionSetRefs: []string{"core.viewer"},
	}})
}
