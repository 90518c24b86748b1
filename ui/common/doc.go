// Package common holds what the root model and every view share: the Deps
// value handed to constructors, the API interface, the View contract, the
// intent messages views send to the root, and small formatting helpers.
package common
