// Conformance: calendars and events, from the request/response examples of the v1.0 API pages.
import assert from "node:assert/strict";
import { assertDocShape, type Json, startDocBed } from "./doc_shape.ts";

const PST = "Pacific Standard Time";
const NO_TIME = "0001-01-01T00:00:00Z";

/** The response example of user-post-events.md, example 1 (values that are the service's own are placeholders). */
const CREATED_EVENT = {
  "@odata.context": "ctx",
  "@odata.etag": 'W/"ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ=="',
  id: "AAMkAGI1AAAt9AHjAAA=",
  createdDateTime: "2017-04-15T03:00:50.7579581Z",
  lastModifiedDateTime: "2017-04-15T03:00:51.245372Z",
  changeKey: "ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ==",
  categories: [],
  originalStartTimeZone: PST,
  originalEndTimeZone: PST,
  iCalUId:
    "040000008200E00074C5B7101A82E00800000000DA2B357D94B5D201000000000000000010000000EC4597557F0CB34EA4CC2887EA7B17C3",
  reminderMinutesBeforeStart: 15,
  isReminderOn: true,
  hasAttachments: false,
  subject: "Let's go brunch",
  bodyPreview: "Does late morning work for you?",
  importance: "normal",
  sensitivity: "normal",
  isAllDay: false,
  isCancelled: false,
  isOrganizer: true,
  responseRequested: true,
  seriesMasterId: null,
  showAs: "busy",
  type: "singleInstance",
  webLink: "https://outlook.office365.com/owa/?itemid=AAMkAGI1AAAt9AHjAAA%3D&exvsurl=1&path=/calendar/item",
  onlineMeetingUrl: null,
  responseStatus: { response: "organizer", time: NO_TIME },
  body: { contentType: "html", content: "<html><head></head><body>Does late morning work for you?</body></html>" },
  start: { dateTime: "2017-04-15T11:00:00.0000000", timeZone: PST },
  end: { dateTime: "2017-04-15T12:00:00.0000000", timeZone: PST },
  location: { displayName: "Harry's Bar", locationType: "default", uniqueId: "Harry's Bar", uniqueIdType: "private" },
  locations: [{ displayName: "Harry's Bar", locationType: "default", uniqueIdType: "unknown" }],
  recurrence: null,
  attendees: [{
    type: "required",
    status: { response: "none", time: NO_TIME },
    emailAddress: { name: "Samantha Booth", address: "samanthab@contoso.onmicrosoft.com" },
  }],
  organizer: { emailAddress: { name: "Dana Swope", address: "danas@contoso.onmicrosoft.com" } },
};

Deno.test("user-post-events.md example 1: 201, the documented keys, types and values, start/end in the Prefer zone", async () => {
  await using bed = await startDocBed();
  const res = await bed.call("POST", "/me/events", {
    headers: { Prefer: `outlook.timezone="${PST}"` },
    body: {
      subject: "Let's go for lunch",
      body: { contentType: "HTML", content: "Does late morning work for you?" },
      start: { dateTime: "2017-04-15T12:00:00", timeZone: PST },
      end: { dateTime: "2017-04-15T14:00:00", timeZone: PST },
      location: { displayName: "Harry's Bar" },
      attendees: [{
        emailAddress: { address: "samanthab@contoso.onmicrosoft.com", name: "Samantha Booth" },
        type: "required",
      }],
    },
  });
  assert.equal(res.status, 201);
  assertDocShape(res.body, CREATED_EVENT);
  const e = res.body;
  assert.match(e["@odata.context"] as string, /\/v1\.0\/\$metadata#users\('[^']+'\)\/events\/\$entity$/);
  assert.equal(e["@odata.etag"], `W/"${e.changeKey}"`);
  assert.match(e.iCalUId as string, /^040000008200E00074C5B7101A82E008[0-9A-F]+$/);
  assert.match(e.createdDateTime as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
  for (
    const k of ["type", "responseStatus", "location", "locations", "recurrence", "seriesMasterId", "showAs"] as const
  ) {
    assert.deepEqual(e[k], CREATED_EVENT[k], k);
  }
  assert.deepEqual(e.attendees, CREATED_EVENT.attendees);
  assert.deepEqual(e.start, { dateTime: "2017-04-15T12:00:00.0000000", timeZone: PST });
  assert.equal((e.body as Json).contentType, "html");
  assert.match(
    (e.body as Json).content as string,
    /^<html>[\s\S]*<body>[\s\S]*Does late morning work for you\?[\s\S]*<\/body>[\s\S]*<\/html>/,
  );
  assert.equal(e.bodyPreview, "Does late morning work for you?");
  assert.equal(res.headers.get("Preference-Applied"), `outlook.timezone="${PST}"`);
  assert.equal(
    res.headers.get("Content-Type"),
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
  );
});

Deno.test("user-post-events.md example 2: three locations; the located one gets uniqueId and uniqueIdType private", async () => {
  await using bed = await startDocBed();
  const res = await bed.call("POST", "/me/events", {
    headers: { Prefer: `outlook.timezone="${PST}"` },
    body: {
      subject: "Plan summer company picnic",
      body: { contentType: "HTML", content: "Let's kick-start this event planning!" },
      start: { dateTime: "2017-08-30T11:00:00", timeZone: PST },
      end: { dateTime: "2017-08-30T12:00:00", timeZone: PST },
      attendees: [
        { emailAddress: { address: "DanaS@contoso.onmicrosoft.com", name: "Dana Swope" }, type: "Required" },
        { emailAddress: { address: "AlexW@contoso.onmicrosoft.com", name: "Alex Wilber" }, type: "Required" },
      ],
      location: { displayName: "Conf Room 3; Fourth Coffee; Home Office", locationType: "Default" },
      locations: [
        { displayName: "Conf Room 3" },
        {
          displayName: "Fourth Coffee",
          address: { street: "4567 Main St", city: "Redmond", state: "WA", countryOrRegion: "US", postalCode: "32008" },
          coordinates: { latitude: 47.672, longitude: -102.103 },
        },
        { displayName: "Home Office" },
      ],
    },
  });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.location, {
    displayName: "Conf Room 3; Fourth Coffee; Home Office",
    locationType: "default",
    uniqueId: "Conf Room 3; Fourth Coffee; Home Office",
    uniqueIdType: "private",
  });
  assert.deepEqual(res.body.locations, [
    { displayName: "Conf Room 3", locationType: "default", uniqueIdType: "unknown" },
    {
      displayName: "Fourth Coffee",
      locationType: "default",
      uniqueId: "Fourth Coffee",
      uniqueIdType: "private",
      address: { street: "4567 Main St", city: "Redmond", state: "WA", countryOrRegion: "US", postalCode: "32008" },
      coordinates: { latitude: 47.672, longitude: -102.103 },
    },
    { displayName: "Home Office", locationType: "default", uniqueIdType: "unknown" },
  ]);
  assert.deepEqual((res.body.attendees as Json[]).map((a) => a.type), ["required", "required"]);
});

Deno.test("user-post-events.md example 3: a recurring event answers seriesMaster with the full normalised recurrence", async () => {
  await using bed = await startDocBed();
  const res = await bed.call("POST", "/me/events", {
    body: {
      subject: "Let's go for lunch",
      body: { contentType: "HTML", content: "Does noon time work for you?" },
      start: { dateTime: "2017-09-04T12:00:00", timeZone: PST },
      end: { dateTime: "2017-09-04T14:00:00", timeZone: PST },
      recurrence: {
        pattern: { type: "weekly", interval: 1, daysOfWeek: ["Monday"] },
        range: { type: "endDate", startDate: "2017-09-04", endDate: "2017-12-31" },
      },
      location: { displayName: "Harry's Bar" },
      attendees: [{
        emailAddress: { address: "AdeleV@contoso.onmicrosoft.com", name: "Adele Vance" },
        type: "required",
      }],
    },
  });
  assert.equal(res.status, 201);
  assert.equal(res.body.type, "seriesMaster");
  assert.deepEqual(res.body.recurrence, {
    pattern: {
      type: "weekly",
      interval: 1,
      month: 0,
      dayOfMonth: 0,
      daysOfWeek: ["monday"],
      firstDayOfWeek: "sunday",
      index: "first",
    },
    range: {
      type: "endDate",
      startDate: "2017-09-04",
      endDate: "2017-12-31",
      recurrenceTimeZone: PST,
      numberOfOccurrences: 0,
    },
  });
  // Without Prefer, a create answers in the event's own zone (the page's third response).
  assert.deepEqual(res.body.start, { dateTime: "2017-09-04T12:00:00.0000000", timeZone: PST });
});

Deno.test("event-list-instances.md: $select shapes each instance and the context names the selected properties", async () => {
  await using bed = await startDocBed();
  const master = await bed.call("POST", "/me/events", {
    body: {
      subject: "Review strategy for Q3",
      start: { dateTime: "2019-04-08T20:30:00", timeZone: "UTC" },
      end: { dateTime: "2019-04-08T21:00:00", timeZone: "UTC" },
      recurrence: {
        pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] },
        range: { type: "noEnd", startDate: "2019-04-08" },
      },
    },
  });
  const window = "startDateTime=2019-04-08T09:00:00.0000000&endDateTime=2019-04-30T09:00:00.0000000";
  const all = await bed.call("GET", `/me/events/${master.body.id}/instances?${window}`);
  const second = (all.body.value as Json[])[1]!;
  await bed.call("PATCH", `/me/events/${second.id}`, {
    body: {
      start: { dateTime: "2019-04-16T20:30:00", timeZone: "UTC" },
      end: { dateTime: "2019-04-16T21:00:00", timeZone: "UTC" },
    },
  });
  const select = "subject,bodyPreview,seriesMasterId,type,recurrence,start,end";
  const res = await bed.call("GET", `/me/events/${master.body.id}/instances?${window}&$select=${select}`);
  assert.equal(res.status, 200);
  assert.match(res.body["@odata.context"] as string, new RegExp(`/instances\\(${select}\\)$`));
  const documented = {
    "@odata.etag": 'W/"x3IAvB5fbUWf4XNcBFLNUwAAKuA3yQ=="',
    id: "AAMkAGUzYAgI1sE1TatAAEYAAAAAlNFb2CNPe0ucP9you",
    subject: "Review strategy for Q3",
    bodyPreview: "",
    seriesMasterId: "AAMkAGUzYRgWAAA=",
    type: "occurrence",
    recurrence: null,
    start: { dateTime: "2019-04-08T20:30:00.0000000", timeZone: "UTC" },
    end: { dateTime: "2019-04-08T21:00:00.0000000", timeZone: "UTC" },
  };
  assertDocShape(res.body.value, [documented], { exact: true });
  const items = res.body.value as Json[];
  assert.deepEqual(items.map((i) => i.type), ["occurrence", "exception", "occurrence", "occurrence"]);
  assert.ok(items.every((i) => i.seriesMasterId === master.body.id));
  assert.equal(new Set(items.map((i) => i["@odata.etag"])).size, 1, "every instance carries the master's etag");
});

Deno.test("event-delta.md: calendarView delta pages by odata.maxpagesize; items carry transactionId null", async () => {
  await using bed = await startDocBed();
  for (const day of ["05", "06", "07"]) {
    await bed.call("POST", "/me/events", {
      body: {
        subject: `d${day}`,
        start: { dateTime: `2025-03-${day}T10:00:00`, timeZone: "UTC" },
        end: { dateTime: `2025-03-${day}T11:00:00`, timeZone: "UTC" },
      },
    });
  }
  // The page writes the window parameters in lower case.
  const res = await bed.call(
    "GET",
    "/me/calendarView/delta?startdatetime=2025-03-01T00:00:00Z&enddatetime=2025-04-01T00:00:00Z",
    { headers: { Prefer: "odata.maxpagesize=2" } },
  );
  assert.equal(res.status, 200);
  assert.match(res.body["@odata.nextLink"] as string, /\/me\/calendarView\/delta\?\$skiptoken=/);
  const documented = {
    originalStartTimeZone: "originalStartTimeZone-value",
    originalEndTimeZone: "originalEndTimeZone-value",
    responseStatus: { response: "response-value", time: "datetime-value" },
    transactionId: null,
    iCalUId: "iCalUId-value",
    reminderMinutesBeforeStart: 99,
    isDraft: false,
    isReminderOn: true,
  };
  assertDocShape(res.body.value, [documented]);
  assert.equal((res.body.value as Json[]).length, 2);
  assert.match(res.headers.get("Preference-Applied") ?? "", /odata\.track-changes/);
  assert.match(res.headers.get("Preference-Applied") ?? "", /odata\.maxpagesize=2/);
});

Deno.test("calendar-get.md and user-list-calendars.md: calendars carry @odata.id; $select is honoured; 'calendar' names the default", async () => {
  await using bed = await startDocBed();
  const documented = {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#me/calendars/$entity",
    "@odata.id":
      "https://graph.microsoft.com/v1.0/users('ddfcd489-628b-40d7-b48b-57002df800e5@1717622f-1d94-4d0c-9d74-709fad664b77')/calendars('AAMkAGI2TGuLAAA=')",
    id: "AAMkAGI2TGuLAAA=",
    name: "Calendar",
    color: "auto",
    changeKey: "nfZyf7VcrEKLNoU37KWlkQAAA0x0+w==",
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    owner: { name: "Fanny Downs", address: "fannyd@adatum.onmicrosoft.com" },
  };
  const res = await bed.call("GET", "/me/calendar");
  assert.equal(res.status, 200);
  assertDocShape(res.body, documented);
  assert.equal(res.body.name, "Calendar");
  assert.equal(
    res.body["@odata.id"],
    `${bed.s.emu.url}/v1.0/users('${bed.userId}@${bed.s.tenantId}')/calendars('${res.body.id}')`,
  );
  const list = await bed.call("GET", "/me/calendars");
  const { "@odata.context": _, ...item } = documented;
  assertDocShape(list.body.value, [item]);
  const byName = await bed.call("GET", "/me/calendars/calendar?$select=name");
  assert.equal(byName.body.id, res.body.id, "the well-known name resolves to the default calendar");
  assert.deepEqual(Object.keys(byName.body).sort(), ["@odata.context", "@odata.id", "id", "name"]);
  assert.match(byName.body["@odata.context"] as string, /calendars\(name\)\/\$entity$/);
  const viaName = await bed.call("POST", "/me/calendars/Calendar/events", {
    body: {
      subject: "x",
      start: { dateTime: "2025-03-05T10:00:00", timeZone: "UTC" },
      end: { dateTime: "2025-03-05T11:00:00", timeZone: "UTC" },
    },
  });
  assert.equal(viaName.status, 201);
  assert.equal((await bed.call("GET", `/me/calendars/${res.body.id}/events`)).body.value instanceof Array, true);
});

Deno.test("event resource: exceptionOccurrences on $select or $expand, cancelledOccurrences on $select, of a series master", async () => {
  await using bed = await startDocBed();
  const master = await bed.call("POST", "/me/events", {
    body: {
      subject: "Weekly",
      start: { dateTime: "2025-03-03T09:00:00", timeZone: "UTC" },
      end: { dateTime: "2025-03-03T09:30:00", timeZone: "UTC" },
      recurrence: {
        pattern: { type: "weekly", interval: "1", daysOfWeek: ["monday"] }, // Int32 as a string, as OData reads it
        range: { type: "numbered", startDate: "2025-03-03", numberOfOccurrences: "4" },
      },
    },
  });
  assert.equal(master.status, 201);
  const window = "startDateTime=2025-03-01T00:00:00Z&endDateTime=2025-04-01T00:00:00Z";
  const [first, second] = (await bed.call("GET", `/me/events/${master.body.id}/instances?${window}`)).body
    .value as Json[];
  await bed.call("PATCH", `/me/events/${first!.id}`, { body: { subject: "Weekly, moved room" } });
  await bed.call("DELETE", `/me/events/${second!.id}`);
  const selected = await bed.call(
    "GET",
    `/me/events/${master.body.id}?$select=subject,exceptionOccurrences,cancelledOccurrences`,
  );
  assert.deepEqual((selected.body.exceptionOccurrences as Json[]).map((e) => e.id), [first!.id]);
  assert.deepEqual(selected.body.cancelledOccurrences, [`OID.${master.body.id}.2025-03-10`]);
  const expanded = await bed.call(
    "GET",
    `/me/events/${master.body.id}?$expand=exceptionOccurrences($select=subject,start)`,
  );
  assertDocShape(expanded.body.exceptionOccurrences, [{
    id: "x",
    subject: "s",
    start: { dateTime: "d", timeZone: "z" },
  }]);
  assert.deepEqual(
    Object.keys((expanded.body.exceptionOccurrences as Json[])[0]!).filter((k) => !k.startsWith("@")).sort(),
    ["id", "start", "subject"],
  );
  assert.equal(expanded.body.cancelledOccurrences, undefined, "cancelledOccurrences only on $select");
});

Deno.test("event resource: reminderMinutesBeforeStart is an Int32 that Graph also reads from a string", async () => {
  await using bed = await startDocBed();
  const res = await bed.call("POST", "/me/events", {
    body: {
      subject: "Quiet",
      reminderMinutesBeforeStart: "0",
      start: { dateTime: "2025-03-05T10:00:00", timeZone: "UTC" },
      end: { dateTime: "2025-03-05T11:00:00", timeZone: "UTC" },
    },
  });
  assert.equal(res.status, 201);
  assert.equal(res.body.reminderMinutesBeforeStart, 0);
  const bad = await bed.call("PATCH", `/me/events/${res.body.id}`, { body: { reminderMinutesBeforeStart: "soon" } });
  assert.equal(bad.status, 400);
});

Deno.test("singlevaluelegacyextendedproperty-get.md: an event read with $expand carries @odata.id and the matched property", async () => {
  await using bed = await startDocBed();
  const propId = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color";
  const created = await bed.call("POST", "/me/events", {
    body: {
      subject: "Tagged",
      start: { dateTime: "2025-03-05T10:00:00", timeZone: "UTC" },
      end: { dateTime: "2025-03-05T11:00:00", timeZone: "UTC" },
      singleValueExtendedProperties: [{ id: propId, value: "Green" }],
    },
  });
  const res = await bed.call(
    "GET",
    `/me/events/${created.body.id}?$expand=singleValueExtendedProperties($filter=id eq '${
      encodeURIComponent(propId)
    }')`,
  );
  assert.equal(res.status, 200);
  assertDocShape(res.body, {
    "@odata.context": "ctx",
    "@odata.id": "https://graph.microsoft.com/v1.0/users('u@t')/events('id')",
    "@odata.etag": 'W/"etag"',
    id: "id",
    singleValueExtendedProperties: [{ id: propId, value: "Green" }],
  });
  assert.equal(
    res.body["@odata.id"],
    `${bed.s.emu.url}/v1.0/users('${bed.userId}@${bed.s.tenantId}')/events('${created.body.id}')`,
  );
  assert.deepEqual(res.body.singleValueExtendedProperties, [{ id: propId, value: "Green" }]);
});
