"""Drives a Gatehouse host's Akuvox-compatible API with pylocal-akuvox, the Home Assistant Akuvox library, the way
an integration does: connect with Digest auth, then users, relays, schedules, the phone book, config and logs.

Usage: akuvox_client.py HOST:PORT USER PASSWORD
Prints one JSON object: what each step returned (dataclasses as dicts) or the error it raised, by step name.
"""
import asyncio
import dataclasses
import json
import sys

from pylocal_akuvox import AkuvoxDevice, AuthConfig, AuthMethod


def plain(value):
    if dataclasses.is_dataclass(value):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


async def main(host, user, password):
    results = {}

    async def step(name, call):
        try:
            results[name] = {"ok": plain(await call)}
        except Exception as error:  # the test asserts on the error by step
            results[name] = {"error": f"{type(error).__name__}: {error}"}
        return results[name].get("ok")

    auth = AuthConfig(method=AuthMethod.DIGEST, username=user, password=password)
    async with AkuvoxDevice(host, auth=auth, timeout=10, request_delay=0) as device:
        await step("info", device.get_info())
        await step("status", device.get_status())

        await step("add_alice", device.add_user(
            name="Alice", user_id="501", schedule_relay="1001-1", lift_floor_num="0", private_pin="4711",
            card_code="112233"))
        await step("add_bob", device.add_user(
            name="Bob", user_id="502", schedule_relay="1001-12", lift_floor_num="0"))
        await step("add_short_pin", device.add_user(
            name="Carl", user_id="503", schedule_relay="1001-1", lift_floor_num="0", private_pin="12"))
        users = await step("users", device.list_users(page=1)) or []
        ids = {u["user_id"]: u["id"] for u in users}
        if "501" in ids:
            await step("modify_alice", device.modify_user(id=ids["501"], name="Alice B", private_pin="8642"))
        if "502" in ids:
            await step("delete_bob", device.delete_user(id=ids["502"]))
        await step("users_after", device.list_users(page=1))

        await step("trigger", device.trigger_relay(num=1, delay=3))
        await step("relays", device.get_relay_status())

        await step("add_schedule", device.add_schedule(
            schedule_type="1", name="Office", week="12345", time_start="08:00", time_end="18:00"))
        schedules = await step("schedules", device.list_schedules()) or []
        office = next((s for s in schedules if s.get("name") == "Office"), None)
        if office:
            await step("modify_schedule", device.modify_schedule(id=office["id"], name="Office hours"))
            await step("schedules_after_modify", device.list_schedules())
            await step("delete_schedule", device.delete_schedule(id=office["id"]))
        await step("schedules_after", device.list_schedules())

        await step("add_group", device.add_group(name="Family"))
        groups = await step("groups", device.list_groups()) or []
        family = next((g for g in groups if g.get("name") == "Family"), None)
        await step("add_contact", device.add_contact(name="Mum", phone="+4930111", group="Family"))
        await step("add_contact_unknown_group", device.add_contact(name="X", phone="1", group="Nobody"))
        contacts = await step("contacts", device.list_contacts()) or []
        mum = next((c for c in contacts if c.get("name") == "Mum"), None)
        if mum:
            await step("modify_contact", device.modify_contact(id=mum["id"], phone="+4930222"))
            await step("contacts_after_modify", device.list_contacts())
            await step("delete_contact", device.delete_contact(id=[mum["id"]]))
        if family:
            await step("modify_group", device.modify_group(id=family["id"], name="Relatives"))
            await step("groups_after_modify", device.list_groups())
            await step("delete_group", device.delete_group(id=family["id"]))
        await step("groups_after", device.list_groups())

        await step("config", device.get_device_config())
        await step("set_config", device.set_device_config({"Config.DoorSetting.RELAY.HoldDelayA": "7"}))
        await step("set_unknown_config", device.set_device_config({"Config.Network.LAN.IPAddress": "10.0.0.9"}))
        await step("config_after", device.get_device_config())

        await step("door_logs", device.get_door_logs(page=1))
        await step("call_logs", device.get_call_logs(page=1))
    print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
