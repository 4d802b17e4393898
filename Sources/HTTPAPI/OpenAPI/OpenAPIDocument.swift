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
          "detail": {
            "description": "Why, in words, when the reason code alone does not say it: a site script's own reason for refusing (`keypad locked`), `public PIN`, `no relay has this DTMF code`.",
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
          "journal_index",
          "detail"
        ],
        "type": "object"
      },
      "Device": {
        "description": "A device registered (or waiting to be) with the PUSH server; supported_functions and registry_options only in the single-device view",
        "properties": {
          "approved_at": {
            "format": "date-time",
            "type": "string"
          },
          "device_name": {
            "type": "string"
          },
          "device_type": {
            "type": "string"
          },
          "firmware": {
            "type": "string"
          },
          "first_seen": {
            "format": "date-time",
            "type": "string"
          },
          "ip_address": {
            "type": "string"
          },
          "last_seen": {
            "format": "date-time",
            "type": "string"
          },
          "lock_count": {
            "type": "integer"
          },
          "max_package_size": {
            "type": "integer"
          },
          "online": {
            "type": "boolean"
          },
          "push_version": {
            "type": "string"
          },
          "reader_count": {
            "type": "integer"
          },
          "registry_options": {
            "type": "string"
          },
          "sn": {
            "type": "string"
          },
          "status": {
            "enum": [
              "pending",
              "approved"
            ],
            "type": "string"
          },
          "supported_functions": {
            "items": {
              "type": "string"
            },
            "type": "array"
          }
        },
        "required": [
          "sn",
          "status",
          "online",
          "first_seen",
          "last_seen"
        ],
        "type": "object"
      },
      "DeviceCommand": {
        "description": "A command queued for a device and what became of it",
        "properties": {
          "command": {
            "type": "string"
          },
          "completed_at": {
            "format": "date-time",
            "type": "string"
          },
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "delivered_at": {
            "format": "date-time",
            "type": "string"
          },
          "delivery_count": {
            "type": "integer"
          },
          "expires_at": {
            "format": "date-time",
            "type": "string"
          },
          "id": {
            "type": "integer"
          },
          "idempotency_key": {
            "type": "string"
          },
          "payload": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "result_command": {
            "type": "string"
          },
          "return_code": {
            "type": "integer"
          },
          "return_text": {
            "type": "string"
          },
          "sn": {
            "type": "string"
          },
          "state": {
            "enum": [
              "queued",
              "delivered",
              "succeeded",
              "failed",
              "expired"
            ],
            "type": "string"
          },
          "uploaded_rows": {
            "type": "integer"
          }
        },
        "required": [
          "id",
          "sn",
          "command",
          "state",
          "payload",
          "uploaded_rows",
          "delivery_count",
          "created_at",
          "expires_at"
        ],
        "type": "object"
      },
      "DeviceCommandInput": {
        "example": {
          "command": "CONTROL DEVICE 01010105"
        },
        "properties": {
          "command": {
            "description": "a PUSH server command, e.g. CONTROL DEVICE 01010105",
            "minLength": 1,
            "type": "string"
          },
          "idempotency_key": {
            "description": "the same key again returns the command already queued (the Idempotency-Key header works too)",
            "type": "string"
          }
        },
        "required": [
          "command"
        ],
        "type": "object"
      },
      "DeviceCommandList": {
        "additionalProperties": false,
        "properties": {
          "commands": {
            "items": {
              "$ref": "#/components/schemas/DeviceCommand"
            },
            "type": "array"
          }
        },
        "required": [
          "commands"
        ],
        "type": "object"
      },
      "Door": {
        "additionalProperties": false,
        "description": "a door's configuration (Appendix 10) and its live state",
        "properties": {
          "anti_passback": {
            "enum": [
              "none",
              "entry",
              "exit",
              "both"
            ],
            "type": "string"
          },
          "anti_passback_duration": {
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "break_in_latched": {
            "type": "boolean"
          },
          "close_and_lock": {
            "type": "boolean"
          },
          "disabled": {
            "type": "boolean"
          },
          "duress_password": {
            "description": "DoorForcePassWord: up to 6 digits",
            "type": [
              "string",
              "null"
            ]
          },
          "emergency_password": {
            "description": "DoorSupperPassWord: up to 8 digits",
            "type": [
              "string",
              "null"
            ]
          },
          "exit_button_enabled": {
            "type": "boolean"
          },
          "exit_button_timezone": {
            "description": "the exit button works only within this timezone; null: always",
            "type": [
              "integer",
              "null"
            ]
          },
          "extended_drive_time": {
            "description": "ExtDoorDelayDrivertime: seconds for users with extended unlock",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "first_card_activated": {
            "type": "boolean"
          },
          "first_card_mode": {
            "enum": [
              "disabled",
              "normal_open",
              "activation"
            ],
            "type": "string"
          },
          "id": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          },
          "lock_drive_time": {
            "description": "DoorDrivertime: seconds the lock stays released (0 uses the relay's hold delay)",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "locked": {
            "description": "DoorMaskFlag: credentials refused with event 63",
            "type": "boolean"
          },
          "multi_card_interval": {
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "multi_card_open": {
            "type": "boolean"
          },
          "name": {
            "type": "string"
          },
          "normal_open": {
            "type": "boolean"
          },
          "normal_open_timezone": {
            "description": "DoorKeepOpenTimeZone; null disables timed normal open",
            "type": [
              "integer",
              "null"
            ]
          },
          "open_timeout": {
            "description": "DoorDetectortime: seconds open before event 28; 0 disables",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "punch_interval": {
            "description": "DoorIntertime",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "relay": {
            "description": "the lock relay (DoorProperty.Address)",
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "relay_active": {
            "type": "boolean"
          },
          "sensor_open": {
            "type": "boolean"
          },
          "sensor_type": {
            "enum": [
              "none",
              "normally_open",
              "normally_closed"
            ],
            "type": "string"
          },
          "state": {
            "description": "what the door is doing: closed, open, held_open, alarm, locked or normal_open",
            "enum": [
              "closed",
              "open",
              "held_open",
              "alarm",
              "locked",
              "normal_open"
            ],
            "type": "string"
          },
          "valid_timezone": {
            "description": "DoorValidTZ",
            "type": "integer"
          },
          "verify_mode": {
            "description": "DoorVerifyType (Appendix 3)",
            "enum": [
              0,
              1,
              2,
              3,
              4,
              5,
              6,
              7,
              8,
              9,
              10,
              11,
              12,
              13,
              14,
              15,
              16,
              17,
              18,
              19,
              20,
              21,
              22,
              23,
              24,
              25,
              26,
              27,
              28,
              29,
              200
            ],
            "type": "integer"
          }
        },
        "required": [
          "anti_passback",
          "anti_passback_duration",
          "break_in_latched",
          "close_and_lock",
          "disabled",
          "duress_password",
          "emergency_password",
          "exit_button_enabled",
          "exit_button_timezone",
          "extended_drive_time",
          "first_card_activated",
          "first_card_mode",
          "id",
          "lock_drive_time",
          "locked",
          "multi_card_interval",
          "multi_card_open",
          "name",
          "normal_open",
          "normal_open_timezone",
          "open_timeout",
          "punch_interval",
          "relay",
          "relay_active",
          "sensor_open",
          "sensor_type",
          "state",
          "valid_timezone",
          "verify_mode"
        ],
        "type": "object"
      },
      "DoorInput": {
        "description": "a door's configuration; omitted fields take their defaults. `id` is required to create and optional to replace; live-state fields are ignored",
        "properties": {
          "anti_passback": {
            "enum": [
              "none",
              "entry",
              "exit",
              "both"
            ],
            "type": "string"
          },
          "anti_passback_duration": {
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "close_and_lock": {
            "type": "boolean"
          },
          "disabled": {
            "type": "boolean"
          },
          "duress_password": {
            "pattern": "^[0-9]{1,6}$",
            "type": [
              "string",
              "null"
            ]
          },
          "emergency_password": {
            "pattern": "^[0-9]{1,8}$",
            "type": [
              "string",
              "null"
            ]
          },
          "exit_button_enabled": {
            "type": "boolean"
          },
          "exit_button_timezone": {
            "description": "the exit button works only within this timezone; null: always",
            "type": [
              "integer",
              "null"
            ]
          },
          "extended_drive_time": {
            "description": "ExtDoorDelayDrivertime: seconds for users with extended unlock",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "first_card_mode": {
            "enum": [
              "disabled",
              "normal_open",
              "activation"
            ],
            "type": "string"
          },
          "id": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          },
          "lock_drive_time": {
            "description": "DoorDrivertime: seconds the lock stays released (0 uses the relay's hold delay)",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "locked": {
            "description": "absent keeps the door's current lock state",
            "type": "boolean"
          },
          "multi_card_interval": {
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "multi_card_open": {
            "type": "boolean"
          },
          "name": {
            "type": "string"
          },
          "normal_open_timezone": {
            "description": "DoorKeepOpenTimeZone; null or absent disables timed normal open",
            "type": [
              "integer",
              "null"
            ]
          },
          "open_timeout": {
            "description": "DoorDetectortime: seconds open before event 28; 0 disables",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "punch_interval": {
            "description": "DoorIntertime",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "relay": {
            "description": "the lock relay (DoorProperty.Address)",
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "sensor_type": {
            "enum": [
              "none",
              "normally_open",
              "normally_closed"
            ],
            "type": "string"
          },
          "valid_timezone": {
            "description": "DoorValidTZ",
            "type": "integer"
          },
          "verify_mode": {
            "description": "DoorVerifyType (Appendix 3)",
            "enum": [
              0,
              1,
              2,
              3,
              4,
              5,
              6,
              7,
              8,
              9,
              10,
              11,
              12,
              13,
              14,
              15,
              16,
              17,
              18,
              19,
              20,
              21,
              22,
              23,
              24,
              25,
              26,
              27,
              28,
              29,
              200
            ],
            "type": "integer"
          }
        },
        "required": [
          "relay"
        ],
        "type": "object"
      },
      "DoorPage": {
        "additionalProperties": false,
        "properties": {
          "doors": {
            "items": {
              "$ref": "#/components/schemas/Door"
            },
            "type": "array"
          },
          "next_cursor": {
            "description": "pass back as `cursor` for the next page",
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "doors",
          "next_cursor"
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
          "readers": {
            "additionalProperties": false,
            "description": "present when hardware readers are configured; any offline makes the status degraded",
            "properties": {
              "configured": {
                "type": "integer"
              },
              "offline": {
                "items": {
                  "type": "integer"
                },
                "type": "array"
              }
            },
            "required": [
              "configured",
              "offline"
            ],
            "type": "object"
          },
          "script": {
            "$ref": "#/components/schemas/ScriptInfo"
          },
          "sip": {
            "additionalProperties": false,
            "description": "present when the SIP endpoint is on; a configured registration that is not up makes the status degraded",
            "properties": {
              "listen": {
                "type": "string"
              },
              "registration": {
                "enum": [
                  "registering",
                  "registered",
                  "failed"
                ],
                "type": "string"
              }
            },
            "required": [
              "listen"
            ],
            "type": "object"
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
      "Holiday": {
        "additionalProperties": false,
        "description": "a ZKTeco holiday: timezones use the periods of holiday `type` on `date`",
        "properties": {
          "date": {
            "format": "date",
            "type": "string"
          },
          "recurrence": {
            "enum": [
              "yearly",
              "once"
            ],
            "type": "string"
          },
          "type": {
            "maximum": 3,
            "minimum": 1,
            "type": "integer"
          }
        },
        "required": [
          "date",
          "recurrence",
          "type"
        ],
        "type": "object"
      },
      "HolidayInput": {
        "description": "a holiday; `date` is required to create and optional to replace",
        "properties": {
          "date": {
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "type": "string"
          },
          "recurrence": {
            "description": "default once",
            "enum": [
              "yearly",
              "once"
            ],
            "type": "string"
          },
          "type": {
            "maximum": 3,
            "minimum": 1,
            "type": "integer"
          }
        },
        "required": [
          "type"
        ],
        "type": "object"
      },
      "HolidayPage": {
        "additionalProperties": false,
        "properties": {
          "holidays": {
            "items": {
              "$ref": "#/components/schemas/Holiday"
            },
            "type": "array"
          },
          "next_cursor": {
            "description": "pass back as `cursor` for the next page",
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "holidays",
          "next_cursor"
        ],
        "type": "object"
      },
      "Input": {
        "additionalProperties": false,
        "description": "an input's configuration and its debounced state",
        "properties": {
          "active": {
            "type": "boolean"
          },
          "debounce_ms": {
            "maximum": 10000,
            "minimum": 0,
            "type": "integer"
          },
          "door": {
            "description": "the door of an exit button or door sensor; null for auxiliary inputs",
            "type": [
              "integer",
              "null"
            ]
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "name": {
            "type": "string"
          },
          "relay": {
            "description": "the relay an auxiliary input triggers (Execute Relay); null otherwise",
            "type": [
              "integer",
              "null"
            ]
          },
          "role": {
            "enum": [
              "exit_button",
              "door_sensor",
              "auxiliary"
            ],
            "type": "string"
          },
          "trigger_level": {
            "description": "Trigger Option: the level that counts as triggered",
            "enum": [
              "low",
              "high"
            ],
            "type": "string"
          }
        },
        "required": [
          "active",
          "debounce_ms",
          "door",
          "id",
          "name",
          "relay",
          "role",
          "trigger_level"
        ],
        "type": "object"
      },
      "InputInput": {
        "description": "an input; `id` is required to create and optional to replace",
        "properties": {
          "debounce_ms": {
            "maximum": 10000,
            "minimum": 0,
            "type": "integer"
          },
          "door": {
            "maximum": 64,
            "minimum": 1,
            "type": [
              "integer",
              "null"
            ]
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "name": {
            "type": "string"
          },
          "relay": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": [
              "integer",
              "null"
            ]
          },
          "role": {
            "enum": [
              "exit_button",
              "door_sensor",
              "auxiliary"
            ],
            "type": "string"
          },
          "trigger_level": {
            "description": "Trigger Option: the level that counts as triggered",
            "enum": [
              "low",
              "high"
            ],
            "type": "string"
          }
        },
        "required": [
          "role"
        ],
        "type": "object"
      },
      "InputPage": {
        "additionalProperties": false,
        "properties": {
          "inputs": {
            "items": {
              "$ref": "#/components/schemas/Input"
            },
            "type": "array"
          },
          "next_cursor": {
            "description": "pass back as `cursor` for the next page",
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "inputs",
          "next_cursor"
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
      "Period": {
        "additionalProperties": false,
        "description": "a period of a day, both ends inclusive at minute resolution",
        "properties": {
          "end": {
            "description": "time of day HH:MM, 00:00\u201323:59",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "type": "string"
          },
          "start": {
            "description": "time of day HH:MM, 00:00\u201323:59",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "type": "string"
          }
        },
        "required": [
          "end",
          "start"
        ],
        "type": "object"
      },
      "Reader": {
        "additionalProperties": false,
        "description": "a reader on one side of a door (ReaderProperty.InOut)",
        "properties": {
          "direction": {
            "enum": [
              "entry",
              "exit"
            ],
            "type": "string"
          },
          "door": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          }
        },
        "required": [
          "direction",
          "door",
          "id"
        ],
        "type": "object"
      },
      "ReaderInput": {
        "description": "a reader; `direction` defaults to entry",
        "properties": {
          "direction": {
            "enum": [
              "entry",
              "exit"
            ],
            "type": "string"
          },
          "door": {
            "maximum": 64,
            "minimum": 1,
            "type": "integer"
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          }
        },
        "required": [
          "door"
        ],
        "type": "object"
      },
      "ReaderLink": {
        "additionalProperties": false,
        "properties": {
          "address": {
            "description": "the OSDP address on the bus",
            "type": "integer"
          },
          "card_reads": {
            "type": "integer"
          },
          "driver": {
            "enum": [
              "osdp"
            ],
            "type": "string"
          },
          "errors": {
            "description": "times it went offline or sent unusable data",
            "type": "integer"
          },
          "last_seen": {
            "description": "RFC 3339 time of the reader's last event",
            "type": [
              "string",
              "null"
            ]
          },
          "name": {
            "type": "string"
          },
          "online": {
            "type": "boolean"
          },
          "reader": {
            "description": "the site's reader id",
            "type": "integer"
          },
          "secure": {
            "description": "talking OSDP secure channel",
            "type": "boolean"
          },
          "tamper": {
            "type": "boolean"
          }
        },
        "required": [
          "reader",
          "driver",
          "address",
          "name",
          "online",
          "secure",
          "tamper",
          "last_seen",
          "card_reads",
          "errors"
        ],
        "type": "object"
      },
      "ReaderLinkList": {
        "additionalProperties": false,
        "properties": {
          "readers": {
            "items": {
              "$ref": "#/components/schemas/ReaderLink"
            },
            "type": "array"
          }
        },
        "required": [
          "readers"
        ],
        "type": "object"
      },
      "ReaderPage": {
        "additionalProperties": false,
        "properties": {
          "next_cursor": {
            "description": "pass back as `cursor` for the next page",
            "type": [
              "string",
              "null"
            ]
          },
          "readers": {
            "items": {
              "$ref": "#/components/schemas/Reader"
            },
            "type": "array"
          }
        },
        "required": [
          "next_cursor",
          "readers"
        ],
        "type": "object"
      },
      "Relay": {
        "additionalProperties": false,
        "description": "a relay's configuration and its live output",
        "properties": {
          "active": {
            "type": "boolean"
          },
          "dtmf_code": {
            "description": "opens the relay during a call (1 digit, or the site's 2\u20134)",
            "type": [
              "string",
              "null"
            ]
          },
          "hold_delay": {
            "description": "seconds a monostable relay stays energised (1\u201365535); 0 for bistable",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "inverted": {
            "description": "Invert State",
            "type": "boolean"
          },
          "kind": {
            "enum": [
              "local",
              "web",
              "security"
            ],
            "type": "string"
          },
          "level": {
            "enum": [
              "low",
              "high"
            ],
            "type": "string"
          },
          "lift_control": {
            "type": "boolean"
          },
          "mode": {
            "description": "monostable resets by itself after hold_delay; bistable toggles on each trigger",
            "enum": [
              "monostable",
              "bistable"
            ],
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "purpose": {
            "description": "Akuvox Relay Type; auxiliary is a ZKTeco auxiliary output",
            "enum": [
              "open_door",
              "chime_bell",
              "reset_by_event",
              "auxiliary"
            ],
            "type": "string"
          },
          "trigger_delay": {
            "description": "seconds between the trigger and the relay energising",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          }
        },
        "required": [
          "active",
          "dtmf_code",
          "hold_delay",
          "id",
          "inverted",
          "kind",
          "level",
          "lift_control",
          "mode",
          "name",
          "purpose",
          "trigger_delay"
        ],
        "type": "object"
      },
      "RelayInput": {
        "description": "a relay; omitted fields take their defaults (monostable open_door, hold 5 s, or 0 when bistable). `id` is required to create",
        "properties": {
          "dtmf_code": {
            "pattern": "^[0-9*#]{1,4}$",
            "type": [
              "string",
              "null"
            ]
          },
          "hold_delay": {
            "description": "seconds a monostable relay stays energised (1\u201365535); 0 for bistable",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "inverted": {
            "description": "Invert State",
            "type": "boolean"
          },
          "kind": {
            "enum": [
              "local",
              "web",
              "security"
            ],
            "type": "string"
          },
          "lift_control": {
            "type": "boolean"
          },
          "mode": {
            "description": "monostable resets by itself after hold_delay; bistable toggles on each trigger",
            "enum": [
              "monostable",
              "bistable"
            ],
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "purpose": {
            "description": "Akuvox Relay Type; auxiliary is a ZKTeco auxiliary output",
            "enum": [
              "open_door",
              "chime_bell",
              "reset_by_event",
              "auxiliary"
            ],
            "type": "string"
          },
          "trigger_delay": {
            "description": "seconds between the trigger and the relay energising",
            "maximum": 65535,
            "minimum": 0,
            "type": "integer"
          }
        },
        "required": [],
        "type": "object"
      },
      "RelayPage": {
        "additionalProperties": false,
        "properties": {
          "next_cursor": {
            "description": "pass back as `cursor` for the next page",
            "type": [
              "string",
              "null"
            ]
          },
          "relays": {
            "items": {
              "$ref": "#/components/schemas/Relay"
            },
            "type": "array"
          }
        },
        "required": [
          "next_cursor",
          "relays"
        ],
        "type": "object"
      },
      "SIPStatus": {
        "additionalProperties": false,
        "description": "the door's SIP endpoint; only `enabled` when `[sip]` is off",
        "properties": {
          "calls": {
            "items": {
              "additionalProperties": false,
              "properties": {
                "call": {
                  "type": "string"
                },
                "direction": {
                  "enum": [
                    "incoming",
                    "outgoing"
                  ],
                  "type": "string"
                },
                "party": {
                  "type": "string"
                },
                "since": {
                  "format": "date-time",
                  "type": "string"
                },
                "state": {
                  "enum": [
                    "ringing",
                    "dialing",
                    "connected"
                  ],
                  "type": "string"
                }
              },
              "required": [
                "call",
                "direction",
                "party",
                "state",
                "since"
              ],
              "type": "object"
            },
            "type": "array"
          },
          "calls_total": {
            "type": "integer"
          },
          "digit_to_relay": {
            "additionalProperties": false,
            "description": "from the packet carrying a sequence's last digit to the relay switched",
            "properties": {
              "last_milliseconds": {
                "type": "number"
              },
              "maximum_milliseconds": {
                "type": "number"
              },
              "sequences": {
                "type": "integer"
              }
            },
            "required": [
              "sequences"
            ],
            "type": "object"
          },
          "digits_total": {
            "type": "integer"
          },
          "enabled": {
            "type": "boolean"
          },
          "listen": {
            "type": "string"
          },
          "malformed_total": {
            "type": "integer"
          },
          "registration": {
            "additionalProperties": false,
            "properties": {
              "account": {
                "type": "string"
              },
              "code": {
                "type": "integer"
              },
              "reason": {
                "type": "string"
              },
              "registrar": {
                "type": "string"
              },
              "since": {
                "format": "date-time",
                "type": "string"
              },
              "state": {
                "enum": [
                  "registering",
                  "registered",
                  "failed"
                ],
                "type": "string"
              }
            },
            "required": [
              "registrar",
              "account",
              "state"
            ],
            "type": "object"
          },
          "transports": {
            "items": {
              "enum": [
                "tcp",
                "udp"
              ],
              "type": "string"
            },
            "type": "array"
          }
        },
        "required": [
          "enabled"
        ],
        "type": "object"
      },
      "Schedule": {
        "additionalProperties": false,
        "description": "an Akuvox-style named schedule; stored as the timezone with the same id",
        "properties": {
          "built_in": {
            "description": "1001 Always and 1002 Never; they cannot be changed",
            "type": "boolean"
          },
          "date_from": {
            "format": "date",
            "type": [
              "string",
              "null"
            ]
          },
          "date_through": {
            "format": "date",
            "type": [
              "string",
              "null"
            ]
          },
          "end": {
            "description": "time of day HH:MM, 00:00\u201323:59",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "type": "string"
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "name": {
            "type": "string"
          },
          "start": {
            "description": "time of day HH:MM, 00:00\u201323:59",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "type": "string"
          },
          "type": {
            "enum": [
              "daily",
              "weekly",
              "date_range"
            ],
            "type": "string"
          },
          "weekdays": {
            "description": "0 = Sunday \u2026 6 = Saturday",
            "items": {
              "maximum": 6,
              "minimum": 0,
              "type": "integer"
            },
            "type": "array",
            "uniqueItems": true
          }
        },
        "required": [
          "built_in",
          "date_from",
          "date_through",
          "end",
          "id",
          "name",
          "start",
          "type",
          "weekdays"
        ],
        "type": "object"
      },
      "ScheduleInput": {
        "description": "a named schedule; `id` is required to create and optional to replace",
        "properties": {
          "date_from": {
            "description": "date_range schedules only",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "type": "string"
          },
          "date_through": {
            "description": "date_range schedules only",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "type": "string"
          },
          "end": {
            "description": "default 23:59",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "type": "string"
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "name": {
            "type": "string"
          },
          "start": {
            "description": "default 00:00",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "type": "string"
          },
          "type": {
            "enum": [
              "daily",
              "weekly",
              "date_range"
            ],
            "type": "string"
          },
          "weekdays": {
            "description": "weekly schedules only: 0 = Sunday \u2026 6 = Saturday",
            "items": {
              "maximum": 6,
              "minimum": 0,
              "type": "integer"
            },
            "minItems": 1,
            "type": "array",
            "uniqueItems": true
          }
        },
        "required": [
          "type"
        ],
        "type": "object"
      },
      "SchedulePage": {
        "additionalProperties": false,
        "properties": {
          "next_cursor": {
            "description": "pass back as `cursor` for the next page",
            "type": [
              "string",
              "null"
            ]
          },
          "schedules": {
            "items": {
              "$ref": "#/components/schemas/Schedule"
            },
            "type": "array"
          }
        },
        "required": [
          "next_cursor",
          "schedules"
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
      "ScriptLog": {
        "additionalProperties": false,
        "properties": {
          "lines": {
            "items": {
              "$ref": "#/components/schemas/ScriptLogLine"
            },
            "type": "array"
          }
        },
        "required": [
          "lines"
        ],
        "type": "object"
      },
      "ScriptLogLine": {
        "additionalProperties": false,
        "properties": {
          "level": {
            "type": "string"
          },
          "message": {
            "type": "string"
          },
          "script": {
            "description": "file:line of the script that wrote it",
            "type": [
              "string",
              "null"
            ]
          },
          "time": {
            "type": "string"
          }
        },
        "required": [
          "level",
          "message",
          "time"
        ],
        "type": "object"
      },
      "Timezone": {
        "additionalProperties": false,
        "description": "a ZKTeco time rule (PUSH `timezone` table)",
        "properties": {
          "holidays": {
            "description": "up to 3 periods for holiday types 1\u20133 (Hol1Time1 \u2026 Hol3Time3); null: a holiday follows its weekday",
            "items": {
              "items": {
                "$ref": "#/components/schemas/Period"
              },
              "maxItems": 3,
              "type": "array"
            },
            "maxItems": 3,
            "minItems": 3,
            "type": [
              "array",
              "null"
            ]
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "name": {
            "type": "string"
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
          "weekdays": {
            "description": "up to 3 periods for each weekday, Sunday first (PUSH SunTime1 \u2026 SatTime3)",
            "items": {
              "items": {
                "$ref": "#/components/schemas/Period"
              },
              "maxItems": 3,
              "type": "array"
            },
            "maxItems": 7,
            "minItems": 7,
            "type": "array"
          }
        },
        "required": [
          "holidays",
          "id",
          "name",
          "valid_from",
          "valid_until",
          "weekdays"
        ],
        "type": "object"
      },
      "TimezoneInput": {
        "description": "a time rule; `id` is required to create and optional to replace (the path's)",
        "properties": {
          "holidays": {
            "description": "up to 3 periods for holiday types 1\u20133 (Hol1Time1 \u2026 Hol3Time3); null: a holiday follows its weekday",
            "items": {
              "items": {
                "$ref": "#/components/schemas/Period"
              },
              "maxItems": 3,
              "type": "array"
            },
            "maxItems": 3,
            "minItems": 3,
            "type": [
              "array",
              "null"
            ]
          },
          "id": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          },
          "name": {
            "type": "string"
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
          "weekdays": {
            "description": "up to 3 periods for each weekday, Sunday first (PUSH SunTime1 \u2026 SatTime3)",
            "items": {
              "items": {
                "$ref": "#/components/schemas/Period"
              },
              "maxItems": 3,
              "type": "array"
            },
            "maxItems": 7,
            "minItems": 7,
            "type": "array"
          }
        },
        "required": [
          "weekdays"
        ],
        "type": "object"
      },
      "TimezonePage": {
        "additionalProperties": false,
        "properties": {
          "next_cursor": {
            "description": "pass back as `cursor` for the next page",
            "type": [
              "string",
              "null"
            ]
          },
          "timezones": {
            "items": {
              "$ref": "#/components/schemas/Timezone"
            },
            "type": "array"
          }
        },
        "required": [
          "next_cursor",
          "timezones"
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
    "/api/v1/devices": {
      "get": {
        "operationId": "listDevices",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "properties": {
                    "devices": {
                      "items": {
                        "$ref": "#/components/schemas/Device"
                      },
                      "type": "array"
                    }
                  },
                  "required": [
                    "devices"
                  ],
                  "type": "object"
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
        "summary": "Devices registered with the PUSH server, and those waiting for approval"
      }
    },
    "/api/v1/devices/{sn}": {
      "delete": {
        "operationId": "deleteDevice",
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
        "summary": "Remove a device that waits for approval, with anything queued for it; an approved device is refused (409)"
      },
      "get": {
        "operationId": "getDevice",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Device"
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
        "summary": "One device, with its supported functions and registry options"
      },
      "parameters": [
        {
          "description": "the device's serial number",
          "example": "CONTRACT1",
          "in": "path",
          "name": "sn",
          "required": true,
          "schema": {
            "maxLength": 64,
            "minLength": 1,
            "type": "string"
          }
        }
      ]
    },
    "/api/v1/devices/{sn}/approve": {
      "parameters": [
        {
          "description": "the device's serial number",
          "example": "CONTRACT1",
          "in": "path",
          "name": "sn",
          "required": true,
          "schema": {
            "maxLength": 64,
            "minLength": 1,
            "type": "string"
          }
        }
      ],
      "post": {
        "operationId": "approveDevice",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Device"
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
        "summary": "Approve a waiting device: it gets its RegistryCode on its next handshake or registration"
      }
    },
    "/api/v1/devices/{sn}/commands": {
      "get": {
        "operationId": "listDeviceCommands",
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
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeviceCommandList"
                }
              }
            },
            "description": "the device's command queue, newest first"
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
        "summary": "A device's command queue"
      },
      "parameters": [
        {
          "description": "the device's serial number",
          "example": "CONTRACT1",
          "in": "path",
          "name": "sn",
          "required": true,
          "schema": {
            "maxLength": 64,
            "minLength": 1,
            "type": "string"
          }
        }
      ],
      "post": {
        "operationId": "enqueueDeviceCommand",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DeviceCommandInput"
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
                  "$ref": "#/components/schemas/DeviceCommand"
                }
              }
            },
            "description": "queued"
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
        "summary": "Queue a command for the device (delivered on its next getrequest)"
      }
    },
    "/api/v1/devices/{sn}/commands/{id}": {
      "get": {
        "operationId": "getDeviceCommand",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeviceCommand"
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
        "summary": "A queued command's state and result"
      },
      "parameters": [
        {
          "description": "the device's serial number",
          "example": "CONTRACT1",
          "in": "path",
          "name": "sn",
          "required": true,
          "schema": {
            "maxLength": 64,
            "minLength": 1,
            "type": "string"
          }
        },
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "minimum": 1,
            "type": "integer"
          }
        }
      ]
    },
    "/api/v1/doors": {
      "get": {
        "operationId": "listDoors",
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
                  "$ref": "#/components/schemas/DoorPage"
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
        "summary": "List doors with their live state"
      },
      "post": {
        "operationId": "createDoor",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/DoorInput"
                  },
                  {
                    "required": [
                      "id"
                    ]
                  }
                ]
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
                  "$ref": "#/components/schemas/Door"
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
        "summary": "Create a door"
      }
    },
    "/api/v1/doors/{id}": {
      "delete": {
        "operationId": "deleteDoor",
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
        "summary": "Delete a door (409 while something still refers to it)"
      },
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
        "summary": "Read a door"
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
      ],
      "put": {
        "operationId": "putDoor",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DoorInput"
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
                  "$ref": "#/components/schemas/Door"
                }
              }
            },
            "description": "OK"
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Door"
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
        "summary": "Create or replace a door"
      }
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
            "description": "page back in history: the `limit` entries just below this index (0: the newest); `after` is then ignored",
            "in": "query",
            "name": "before",
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
          },
          {
            "description": "1 adds the doors', relays' and inputs' live changes as `door`, `relay` and `input` events (without an id)",
            "in": "query",
            "name": "state",
            "required": false,
            "schema": {
              "maximum": 1,
              "minimum": 0,
              "type": "integer"
            }
          },
          {
            "description": "resume after this journal index (Last-Event-ID wins when both are given)",
            "in": "query",
            "name": "after",
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
    "/api/v1/hardware/readers": {
      "get": {
        "operationId": "listHardwareReaders",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReaderLinkList"
                }
              }
            },
            "description": "the hardware readers (OSDP) and their links; empty without any"
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
        "summary": "Hardware readers: online, secure channel, tamper, last seen"
      }
    },
    "/api/v1/holidays": {
      "get": {
        "operationId": "listHolidays",
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
                  "$ref": "#/components/schemas/HolidayPage"
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
        "summary": "List holidays"
      },
      "post": {
        "operationId": "createHoliday",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/HolidayInput"
                  },
                  {
                    "required": [
                      "date"
                    ]
                  }
                ]
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
                  "$ref": "#/components/schemas/Holiday"
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
        "summary": "Create a holiday"
      }
    },
    "/api/v1/holidays/{date}": {
      "delete": {
        "operationId": "deleteHoliday",
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
        "summary": "Delete a holiday (409 while something still refers to it)"
      },
      "get": {
        "operationId": "getHoliday",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Holiday"
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
        "summary": "Read a holiday"
      },
      "parameters": [
        {
          "in": "path",
          "name": "date",
          "required": true,
          "schema": {
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "type": "string"
          }
        }
      ],
      "put": {
        "operationId": "putHoliday",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/HolidayInput"
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
                  "$ref": "#/components/schemas/Holiday"
                }
              }
            },
            "description": "OK"
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Holiday"
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
        "summary": "Create or replace a holiday"
      }
    },
    "/api/v1/inputs": {
      "get": {
        "operationId": "listInputs",
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
                  "$ref": "#/components/schemas/InputPage"
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
        "summary": "List inputs with their live state"
      },
      "post": {
        "operationId": "createInput",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/InputInput"
                  },
                  {
                    "required": [
                      "id"
                    ]
                  }
                ]
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
                  "$ref": "#/components/schemas/Input"
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
        "summary": "Create a input"
      }
    },
    "/api/v1/inputs/{id}": {
      "delete": {
        "operationId": "deleteInput",
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
        "summary": "Delete a input (409 while something still refers to it)"
      },
      "get": {
        "operationId": "getInput",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Input"
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
        "summary": "Read a input"
      },
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 2147483647,
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
      },
      "put": {
        "operationId": "putInput",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/InputInput"
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
                  "$ref": "#/components/schemas/Input"
                }
              }
            },
            "description": "OK"
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Input"
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
        "summary": "Create or replace a input"
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
    "/api/v1/readers": {
      "get": {
        "operationId": "listReaders",
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
                  "$ref": "#/components/schemas/ReaderPage"
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
        "summary": "List readers"
      },
      "post": {
        "operationId": "createReader",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/ReaderInput"
                  },
                  {
                    "required": [
                      "id"
                    ]
                  }
                ]
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
                  "$ref": "#/components/schemas/Reader"
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
        "summary": "Create a reader"
      }
    },
    "/api/v1/readers/{id}": {
      "delete": {
        "operationId": "deleteReader",
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
        "summary": "Delete a reader (409 while something still refers to it)"
      },
      "get": {
        "operationId": "getReader",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Reader"
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
        "summary": "Read a reader"
      },
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "put": {
        "operationId": "putReader",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ReaderInput"
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
                  "$ref": "#/components/schemas/Reader"
                }
              }
            },
            "description": "OK"
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Reader"
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
        "summary": "Create or replace a reader"
      }
    },
    "/api/v1/relays": {
      "get": {
        "operationId": "listRelays",
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
                  "$ref": "#/components/schemas/RelayPage"
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
        "summary": "List relays with their live state"
      },
      "post": {
        "operationId": "createRelay",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/RelayInput"
                  },
                  {
                    "required": [
                      "id"
                    ]
                  }
                ]
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
                  "$ref": "#/components/schemas/Relay"
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
        "summary": "Create a relay"
      }
    },
    "/api/v1/relays/{id}": {
      "delete": {
        "operationId": "deleteRelay",
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
        "summary": "Delete a relay (409 while something still refers to it)"
      },
      "get": {
        "operationId": "getRelay",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Relay"
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
        "summary": "Read a relay"
      },
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "put": {
        "operationId": "putRelay",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RelayInput"
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
                  "$ref": "#/components/schemas/Relay"
                }
              }
            },
            "description": "OK"
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Relay"
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
        "summary": "Create or replace a relay"
      }
    },
    "/api/v1/schedules": {
      "get": {
        "operationId": "listSchedules",
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
                  "$ref": "#/components/schemas/SchedulePage"
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
        "summary": "List named schedules"
      },
      "post": {
        "operationId": "createSchedule",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/ScheduleInput"
                  },
                  {
                    "required": [
                      "id"
                    ]
                  }
                ]
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
                  "$ref": "#/components/schemas/Schedule"
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
        "summary": "Create a named schedule"
      }
    },
    "/api/v1/schedules/{id}": {
      "delete": {
        "operationId": "deleteSchedule",
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
        "summary": "Delete a named schedule and its timezone (409 while something still refers to it; built-ins 1001/1002 cannot be deleted)"
      },
      "get": {
        "operationId": "getSchedule",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Schedule"
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
        "summary": "Read a named schedule"
      },
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "put": {
        "operationId": "putSchedule",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ScheduleInput"
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
                  "$ref": "#/components/schemas/Schedule"
                }
              }
            },
            "description": "OK"
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Schedule"
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
        "summary": "Create or replace a named schedule (replaces a timezone with the same id)"
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
    "/api/v1/scripts/log": {
      "get": {
        "operationId": "getScriptLog",
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
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScriptLog"
                }
              }
            },
            "description": "the newest lines, oldest first"
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
        "summary": "The site scripts' newest log lines"
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
    "/api/v1/sip": {
      "get": {
        "operationId": "getSIPStatus",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SIPStatus"
                }
              }
            },
            "description": "the SIP endpoint: registration, calls in progress, counters"
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
        "summary": "SIP endpoint: registration, calls, DTMF digit-to-relay time"
      }
    },
    "/api/v1/timezones": {
      "get": {
        "operationId": "listTimezones",
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
                  "$ref": "#/components/schemas/TimezonePage"
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
        "summary": "List timezone (time rule)s"
      },
      "post": {
        "operationId": "createTimezone",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/TimezoneInput"
                  },
                  {
                    "required": [
                      "id"
                    ]
                  }
                ]
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
                  "$ref": "#/components/schemas/Timezone"
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
        "summary": "Create a timezone (time rule)"
      }
    },
    "/api/v1/timezones/{id}": {
      "delete": {
        "operationId": "deleteTimezone",
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
        "summary": "Delete a timezone (409 while a door, first-card rule or user authorisation refers to it)"
      },
      "get": {
        "operationId": "getTimezone",
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Timezone"
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
        "summary": "Read a timezone (time rule)"
      },
      "parameters": [
        {
          "in": "path",
          "name": "id",
          "required": true,
          "schema": {
            "maximum": 2147483647,
            "minimum": 1,
            "type": "integer"
          }
        }
      ],
      "put": {
        "operationId": "putTimezone",
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TimezoneInput"
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
                  "$ref": "#/components/schemas/Timezone"
                }
              }
            },
            "description": "OK"
          },
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Timezone"
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
        "summary": "Create or replace a timezone (time rule)"
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
            "description": "Opaque: the `next_cursor` of the previous page (keyset paging in PIN order).",
            "in": "query",
            "name": "cursor",
            "required": false,
            "schema": {
              "maxLength": 128,
              "type": "string"
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
