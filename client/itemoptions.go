package client

import "net/url"

// GetOptions are the query parameters of GET /api/v1/events/{id},
// /api/v1/enforcements/{id} and /api/v1/executions/{id}. Zero values are
// not sent.
type GetOptions struct {
	// IncludeSecretValues asks the server to decrypt secret payload and
	// config values (query "include_secret_values"). The token needs the
	// events:decrypt grant, or the server answers 403. The spec documents it
	// for events only; the server also reads it for enforcements and
	// executions. Decrypted values are shown as the server sends them, so a
	// caller that draws them is responsible for who sees the screen.
	IncludeSecretValues bool
}

// values encodes o as query parameters.
func (o *GetOptions) values() url.Values {
	q := url.Values{}
	if o != nil && o.IncludeSecretValues {
		q.Set("include_secret_values", "true")
	}
	return q
}

// TriggerGetOptions are the query parameters of GET /api/v1/triggers/{ref}.
// Zero values are not sent.
type TriggerGetOptions struct {
	// ReferencingPackRef names the pack that wants to subscribe to the
	// trigger (query "referencing_pack_ref"); the server uses it to check
	// the trigger's reference visibility.
	ReferencingPackRef string
}

// values encodes o as query parameters.
func (o *TriggerGetOptions) values() url.Values {
	q := url.Values{}
	if o != nil {
		setString(q, "referencing_pack_ref", o.ReferencingPackRef)
	}
	return q
}
