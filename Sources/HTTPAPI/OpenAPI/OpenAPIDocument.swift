/// The native REST API's OpenAPI 3.1 document, served at `/api/v1/openapi.json`. Generated from
/// docs/openapi.json by scripts/openapi-embed; kept true by OpenAPIContractTests and schemathesis.
enum OpenAPIDocument {
    static let json = #"""
{
  "components": {
    "schemas": {
      "AccessRequest": {
        "description": "exactly one of card, pin (optionally with apartment, or with card for card+PIN), plate, qr, identity",
        "properties": {
          "apartment": {
            "type": "string"
          },
          "card": {
            "oneOf": [
              {
                "type": "string"
              },
              {
                "properties": {
                  "bits": {
                    "type": "integer"
                  },
                  "hex": {
                    "type": "string"
                  }
                },
                "required": [
                  "bits",
                  "hex"
                ],
                "type": "object"
              }
            ]
          },
          "door": {
            "minimum": 1,
            "type": "integer"
          },
          "identity": {
            "type": "string"
          },
          "identity_kind": {
            "enum": [
              "face",
              "ble"
            ],
            "type": "string"
          },
          "pin": {
            "type": "string"
          },
          "plate": {
            "type": "string"
          },
          "qr": {
            "type": "string"
          },
          "reader": {
            "minimum": 1,
            "type": "integer"
          }
        },
        "type": "object"
      },
      "Decision": {
        "properties": {
          "door": {
            "type": [
              "integer",
              "null"
            ]
          },
          "event": {
            "description": "PUSH event code (Appendix 2)",
            "type": "integer"
          },
          "event_name": {
            "type": "string"
          },
          "granted": {
            "type": "boolean"
          },
          "journal_index": {
            "type": "integer"
          },
          "reason": {
            "type": "string"
          },
          "user": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "granted",
          "event",
          "event_name",
          "reason",
          "user",
          "door",
          "journal_index"
        ],
        "type": "object"
      },
      "Door": {
        "properties": {
          "break_in_latched": {
            "type": "boolean"
          },
          "id": {
            "type": "integer"
          },
          "locked": {
            "type": "boolean"
          },
          "normal_open": {
            "type": "boolean"
          },
          "relay_active": {
            "type": "boolean"
          },
          "sensor_open": {
            "type": "boolean"
          }
        },
        "required": [
          "id",
          "sensor_open",
          "relay_active",
          "normal_open",
          "break_in_latched",
          "locked"
        ],
        "type": "object"
      },
      "Error": {
        "properties": {
          "error": {
            "type": "string"
          },
          "field": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        },
        "required": [
          "error",
          "message"
        ],
        "type": "object"
      },
      "Event": {
        "properties": {
          "card": {
            "type": [
              "string",
              "null"
            ]
          },
          "detail": {
            "type": [
              "string",
              "null"
            ]
          },
          "direction": {
            "enum": [
              "in",
              "out",
              null
            ],
            "type": [
              "string",
              "null"
            ]
          },
          "door": {
            "type": [
              "integer",
              "null"
            ]
          },
          "event": {
            "type": "integer"
          },
          "event_class": {
            "type": [
              "string",
              "null"
            ]
          },
          "event_name": {
            "type": [
              "string",
              "null"
            ]
          },
          "index": {
            "type": "integer"
          },
          "link_id": {
            "type": [
              "integer",
              "null"
            ]
          },
          "local_time": {
            "type": "string"
          },
          "pin": {
            "type": [
              "string",
              "null"
            ]
          },
          "reader": {
            "type": [
              "integer",
              "null"
            ]
          },
          "site_code": {
            "type": [
              "integer",
              "null"
            ]
          },
          "source": {
            "type": "string"
          },
          "time": {
            "format": "date-time",
            "type": "string"
          },
          "verify_mode": {
            "type": "integer"
          }
        },
        "required": [
          "index",
          "time",
          "local_time",
          "event",
          "verify_mode",
          "source"
        ],
        "type": "object"
      },
      "EventPage": {
        "properties": {
          "events": {
            "items": {
              "$ref": "#/components/schemas/Event"
            },
            "type": "array"
          },
          "next": {
            "type": "integer"
          }
        },
        "required": [
          "events",
          "next"
        ],
        "type": "object"
      },
      "Health": {
        "properties": {
          "database": {
            "properties": {
              "path": {
                "type": "string"
              },
              "schema_version": {
                "type": "integer"
              }
            },
            "required": [
              "path",
              "schema_version"
            ],
            "type": "object"
          },
          "script": {
            "$ref": "#/components/schemas/ScriptInfo"
          },
          "status": {
            "enum": [
              "ok",
              "degraded",
              "error"
            ],
            "type": "string"
          },
          "uptime_s": {
            "type": "number"
          },
          "version": {
            "type": "string"
          }
        },
        "required": [
          "status",
          "version",
          "uptime_s",
          "database",
          "script"
        ],
        "type": "object"
      },
      "OutboundAction": {
        "properties": {
          "attempts": {
            "type": "integer"
          },
          "condition": {
            "type": "string"
          },
          "created_at": {
            "type": "string"
          },
          "id": {
            "type": "integer"
          },
          "kind": {
            "type": "string"
          },
          "last_error": {
            "type": [
              "string",
              "null"
            ]
          },
          "max_attempts": {
            "type": "integer"
          },
          "next_attempt_at": {
            "type": "string"
          },
          "snapshot_camera": {
            "type": [
              "string",
              "null"
            ]
          },
          "source": {
            "type": "string"
          },
          "state": {
            "enum": [
              "pending",
              "delivered",
              "dead",
              "skipped"
            ],
            "type": "string"
          },
          "summary": {
            "type": "string"
          },
          "updated_at": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "kind",
          "state",
          "attempts"
        ],
        "type": "object"
      },
      "ScriptInfo": {
        "properties": {
          "disabled_handlers": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "error": {
            "type": [
              "string",
              "null"
            ]
          },
          "ok": {
            "type": "boolean"
          },
          "version": {
            "type": "string"
          }
        },
        "required": [
          "version",
          "ok"
        ],
        "type": "object"
      },
      "User": {
        "properties": {
          "authorizations": {
            "items": {
              "properties": {
                "doors": {
                  "items": {
                    "maximum": 64,
                    "minimum": 1,
                    "type": "integer"
                  },
                  "type": "array"
                },
                "timezone": {
                  "type": "integer"
                },
                "valid_from": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "valid_until": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                }
              },
              "required": [
                "timezone",
                "doors"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "cards": {
            "items": {
              "properties": {
                "bits": {
                  "type": [
                    "integer",
                    "null"
                  ]
                },
                "hex": {
                  "type": "string"
                },
                "lost": {
                  "type": "boolean"
                },
                "number": {
                  "type": "string"
                },
                "role": {
                  "enum": [
                    "main",
                    "sub"
                  ],
                  "type": "string"
                },
                "site_code": {
                  "type": [
                    "integer",
                    "null"
                  ]
                }
              },
              "required": [
                "number"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "disabled": {
            "type": "boolean"
          },
          "extended_unlock": {
            "type": "boolean"
          },
          "group": {
            "type": "integer"
          },
          "identities": {
            "items": {
              "properties": {
                "id": {
                  "type": "string"
                },
                "kind": {
                  "enum": [
                    "face",
                    "ble"
                  ],
                  "type": "string"
                }
              },
              "required": [
                "kind",
                "id"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "name": {
            "type": "string"
          },
          "pin": {
            "minLength": 1,
            "type": "string"
          },
          "pin_code": {
            "type": [
              "string",
              "null"
            ]
          },
          "plates": {
            "items": {
              "properties": {
                "valid_from": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "valid_until": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "value": {
                  "type": "string"
                }
              },
              "required": [
                "value"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "privilege": {
            "enum": [
              0,
              2,
              6,
              10,
              14
            ],
            "type": "integer"
          },
          "qr_codes": {
            "items": {
              "properties": {
                "valid_from": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "valid_until": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "value": {
                  "type": "string"
                }
              },
              "required": [
                "value"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "residence": {
            "properties": {
              "apartment": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "building": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "floor": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "room": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "type": [
              "object",
              "null"
            ]
          },
          "super_user": {
            "type": "boolean"
          },
          "temporary": {
            "type": "boolean"
          },
          "valid_from": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "valid_until": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "verify_mode": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "required": [
          "pin",
          "name",
          "cards",
          "authorizations",
          "disabled"
        ],
        "type": "object"
      },
      "UserInput": {
        "properties": {
          "authorizations": {
            "items": {
              "properties": {
                "doors": {
                  "items": {
                    "maximum": 64,
                    "minimum": 1,
                    "type": "integer"
                  },
                  "type": "array"
                },
                "timezone": {
                  "type": "integer"
                },
                "valid_from": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "valid_until": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                }
              },
              "required": [
                "timezone",
                "doors"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "cards": {
            "items": {
              "properties": {
                "bits": {
                  "maximum": 64,
                  "minimum": 1,
                  "type": "integer"
                },
                "hex": {
                  "pattern": "^[0-9A-Fa-f]{1,16}$",
                  "type": "string"
                },
                "lost": {
                  "type": "boolean"
                },
                "number": {
                  "pattern": "^[0-9]{1,20}$",
                  "type": "string"
                },
                "role": {
                  "enum": [
                    "main",
                    "sub"
                  ],
                  "type": "string"
                },
                "site_code": {
                  "type": "integer"
                }
              },
              "type": "object"
            },
            "type": "array"
          },
          "disabled": {
            "type": "boolean"
          },
          "extended_unlock": {
            "type": "boolean"
          },
          "group": {
            "type": "integer"
          },
          "identities": {
            "items": {
              "properties": {
                "id": {
                  "type": "string"
                },
                "kind": {
                  "enum": [
                    "face",
                    "ble"
                  ],
                  "type": "string"
                }
              },
              "required": [
                "kind",
                "id"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "name": {
            "type": "string"
          },
          "pin": {
            "minLength": 1,
            "type": "string"
          },
          "pin_code": {
            "type": [
              "string",
              "null"
            ]
          },
          "plates": {
            "items": {
              "properties": {
                "valid_from": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "valid_until": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "value": {
                  "type": "string"
                }
              },
              "required": [
                "value"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "privilege": {
            "enum": [
              0,
              2,
              6,
              10,
              14
            ],
            "type": "integer"
          },
          "qr_codes": {
            "items": {
              "properties": {
                "valid_from": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "valid_until": {
                  "format": "date-time",
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "value": {
                  "type": "string"
                }
              },
              "required": [
                "value"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "residence": {
            "properties": {
              "apartment": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "building": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "floor": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "room": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "type": [
              "object",
              "null"
            ]
          },
          "super_user": {
            "type": "boolean"
          },
          "temporary": {
            "type": "boolean"
          },
          "valid_from": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "valid_until": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "verify_mode": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "required": [
          "pin"
        ],
        "type": "object"
      },
      "UserPage": {
        "properties": {
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          },
          "users": {
            "items": {
              "$ref": "#/components/schemas/User"
            },
            "type": "array"
          }
        },
        "required": [
          "users",
          "next_cursor"
        ],
        "type": "object"
      }
    },
    "securitySchemes": {
      "bearer": {
        "scheme": "bearer",
        "type": "http"
      }
    }
  },
  "info": {
    "description": "Native REST API of the Gatehouse access-control host. Bearer tokens: `gatehouse token create`, or `<data>/admin.token` on first start. Errors are `{error, message, field?}`.",
    "title": "Gatehouse admin API",
    "version": "0.1.0"
  },
  "openapi": "3.1.0",
  "paths": {
    "/api/v1/access": {
      "post": {
        "operationId": "presentCredential",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AccessRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Decision"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "413": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Present a credential at a door or reader"
      }
    },
    "/api/v1/actions": {
      "get": {
        "operationId": "listActions",
        "parameters": [
          {
            "in": "query",
            "name": "state",
            "required": false,
            "schema": {
              "enum": [
                "pending",
                "delivered",
                "dead",
                "skipped"
              ],
              "type": "string"
            }
          },
          {
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
              "maximum": 1000,
              "minimum": 1,
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "properties": {
                    "actions": {
                      "items": {
                        "$ref": "#/components/schemas/OutboundAction"
                      },
                      "type": "array"
                    }
                  },
                  "required": [
                    "actions"
                  ],
                  "type": "object"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Outbound actions (durable outbox), newest first"
      }
    },
    "/api/v1/actions/{id}/retry": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "post": {
        "operationId": "retryAction",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OutboundAction"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Queue a dead or skipped action again"
      }
    },
    "/api/v1/buttons/{id}/press": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "description": "a door number (its exit button) or `reception`",
            "type": "string"
          }
        }
      ],
      "post": {
        "operationId": "pressButton",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Decision"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Press a button"
      }
    },
    "/api/v1/doors": {
      "get": {
        "operationId": "listDoors",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "items": {
                    "$ref": "#/components/schemas/Door"
                  },
                  "type": "array"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Doors and their live state"
      }
    },
    "/api/v1/doors/{id}": {
      "get": {
        "operationId": "getDoor",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Door"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "A door's live state"
      },
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          }
        }
      ]
    },
    "/api/v1/doors/{id}/clear-alarm": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "post": {
        "operationId": "clearDoorAlarm",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Decision"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Clear alarms and the break-in latch (event 7)"
      }
    },
    "/api/v1/doors/{id}/close": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "post": {
        "operationId": "closeDoor",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Decision"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Close remotely (event 9)"
      }
    },
    "/api/v1/doors/{id}/lock": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "post": {
        "operationId": "lockDoor",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Door"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Lock: every credential refused with event 63"
      }
    },
    "/api/v1/doors/{id}/normal-open": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "post": {
        "operationId": "normalOpenDoor",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Decision"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Hold open until closed (event 205)"
      }
    },
    "/api/v1/doors/{id}/open": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "post": {
        "operationId": "openDoor",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "properties": {
                  "seconds": {
                    "maximum": 65535,
                    "minimum": 1,
                    "type": "integer"
                  }
                },
                "type": "object"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Decision"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "413": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Open remotely (event 8)"
      }
    },
    "/api/v1/doors/{id}/unlock": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "post": {
        "operationId": "unlockDoor",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Door"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Unlock"
      }
    },
    "/api/v1/dtmf": {
      "post": {
        "operationId": "dtmf",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "properties": {
                  "call": {
                    "type": "string"
                  },
                  "caller": {
                    "type": "string"
                  },
                  "digits": {
                    "type": "string"
                  }
                },
                "required": [
                  "caller",
                  "digits"
                ],
                "type": "object"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Decision"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "413": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "DTMF digits during a call"
      }
    },
    "/api/v1/events": {
      "get": {
        "operationId": "listEvents",
        "parameters": [
          {
            "in": "query",
            "name": "after",
            "required": false,
            "schema": {
              "minimum": 0,
              "type": "integer"
            }
          },
          {
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
              "maximum": 1000,
              "minimum": 1,
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EventPage"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Journal entries after an index"
      }
    },
    "/api/v1/events/stream": {
      "get": {
        "operationId": "streamEvents",
        "parameters": [
          {
            "in": "header",
            "name": "Last-Event-ID",
            "required": false,
            "schema": {
              "minimum": 0,
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "description": "event stream"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Live journal as Server-Sent Events (`id:` is the journal index; resume with Last-Event-ID)"
      }
    },
    "/api/v1/inputs/{id}": {
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "post": {
        "operationId": "setInput",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "properties": {
                  "active": {
                    "type": "boolean"
                  }
                },
                "required": [
                  "active"
                ],
                "type": "object"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "properties": {
                    "active": {
                      "enum": [
                        0,
                        1
                      ],
                      "type": "integer"
                    },
                    "input": {
                      "type": "integer"
                    }
                  },
                  "required": [
                    "input",
                    "active"
                  ],
                  "type": "object"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "413": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Feed an input as active or inactive"
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "operationId": "getOpenAPI",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            },
            "description": "OpenAPI document"
          }
        },
        "summary": "This document"
      }
    },
    "/api/v1/scripts": {
      "get": {
        "operationId": "getScripts",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScriptInfo"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Site script status"
      }
    },
    "/api/v1/scripts/reload": {
      "post": {
        "operationId": "reloadScripts",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScriptInfo"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScriptInfo"
                }
              }
            },
            "description": "new bundle broken; the old one stays"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Reload the site scripts (validate, then swap)"
      }
    },
    "/api/v1/users": {
      "get": {
        "operationId": "listUsers",
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "required": false,
            "schema": {
              "maximum": 1000,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "in": "query",
            "name": "cursor",
            "required": false,
            "schema": {
              "maximum": 2147483647,
              "minimum": 0,
              "type": "integer"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserPage"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "List users by PIN"
      },
      "post": {
        "operationId": "createUser",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserInput"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            },
            "description": "created"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "413": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Create a user"
      }
    },
    "/api/v1/users/export": {
      "get": {
        "operationId": "exportUsers",
        "parameters": [
          {
            "in": "query",
            "name": "format",
            "required": true,
            "schema": {
              "enum": [
                "json",
                "csv",
                "akuvox-csv",
                "akuvox-xml",
                "akuvox-tgz"
              ],
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/gzip": {
                "schema": {
                  "format": "binary",
                  "type": "string"
                }
              },
              "application/json": {
                "schema": {}
              },
              "application/xml": {
                "schema": {
                  "type": "string"
                }
              },
              "text/csv; charset=utf-8": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "description": "the file"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Export every user (json, csv, akuvox-csv, akuvox-xml, akuvox-tgz = UserData.tgz)"
      }
    },
    "/api/v1/users/import": {
      "post": {
        "operationId": "importUsers",
        "parameters": [
          {
            "in": "query",
            "name": "format",
            "required": true,
            "schema": {
              "enum": [
                "json",
                "csv",
                "akuvox-csv",
                "akuvox-xml",
                "akuvox-tgz"
              ],
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/octet-stream": {
              "schema": {
                "format": "binary",
                "type": "string"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "properties": {
                    "created": {
                      "type": "integer"
                    },
                    "schedules": {
                      "type": "integer"
                    },
                    "updated": {
                      "type": "integer"
                    }
                  },
                  "required": [
                    "created",
                    "updated"
                  ],
                  "type": "object"
                }
              }
            },
            "description": "imported"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "413": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "properties": {
                    "error": {
                      "type": "string"
                    },
                    "message": {
                      "type": "string"
                    },
                    "rows": {
                      "items": {
                        "properties": {
                          "field": {
                            "type": [
                              "string",
                              "null"
                            ]
                          },
                          "message": {
                            "type": "string"
                          },
                          "row": {
                            "type": "integer"
                          }
                        },
                        "type": "object"
                      },
                      "type": "array"
                    }
                  },
                  "required": [
                    "error",
                    "message",
                    "rows"
                  ],
                  "type": "object"
                }
              }
            },
            "description": "rejected; nothing imported"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Import users all-or-nothing; 422 lists every bad row"
      }
    },
    "/api/v1/users/{pin}": {
      "delete": {
        "operationId": "deleteUser",
        "responses": {
          "204": {
            "description": "deleted"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Delete a user"
      },
      "get": {
        "operationId": "getUser",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "404": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Read a user"
      },
      "parameters": [
        {
          "in": "path",
          "name": "pin",
          "required": true,
          "schema": {
            "minLength": 1,
            "type": "string"
          }
        }
      ],
      "put": {
        "operationId": "putUser",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserInput"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            },
            "description": "OK"
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            },
            "description": "created"
          },
          "400": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "401": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "409": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "413": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "422": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          },
          "429": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "description": "error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Create or replace a user"
      }
    },
    "/healthz": {
      "get": {
        "operationId": "getHealth",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            },
            "description": "OK"
          },
          "503": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            },
            "description": "unhealthy"
          }
        },
        "summary": "Health of the host"
      }
    },
    "/metrics": {
      "get": {
        "operationId": "getMetrics",
        "responses": {
          "200": {
            "content": {
              "text/plain; version=0.0.4; charset=utf-8": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "description": "metrics"
          }
        },
        "summary": "Prometheus metrics (text exposition format)"
      }
    }
  },
  "servers": [
    {
      "url": "/"
    }
  ]
}
"""#
}
