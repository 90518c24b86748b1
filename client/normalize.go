package client

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// rawMessageType is the type of free-form JSON fields.
var rawMessageType = reflect.TypeFor[json.RawMessage]()

// normalizeNulls sets every json.RawMessage reachable from v that holds the
// literal null to nil, so that an absent field and a null one decode the
// same way (the contract's "absent vs null" rule): a free-form field is nil
// when the server sent no value.
func normalizeNulls(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			normalizeNulls(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				normalizeNulls(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type() == rawMessageType {
			if v.CanSet() && bytes.Equal(bytes.TrimSpace(v.Bytes()), []byte("null")) {
				v.SetBytes(nil)
			}
			return
		}
		for i := range v.Len() {
			normalizeNulls(v.Index(i))
		}
	}
}
