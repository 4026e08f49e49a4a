import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_RADIUS_MILES } from '../directory/search';
import { APPROACHES, CONDITIONS, CREDENTIALS, FORMATS, KETAMINE_ROUTES, LANGUAGES, US_STATES, type VocabularyEntry } from '../directory/vocabulary';
import { IsoDate, IsoInstant, Uuid } from './common.schema';

const codeOf = (vocabulary: readonly VocabularyEntry[]) => Type.Union(vocabulary.map((e) => Type.Literal(e.code)));
const codeList = (vocabulary: readonly VocabularyEntry[]) => Type.Array(codeOf(vocabulary), { maxItems: vocabulary.length, uniqueItems: true });
// Null first: with Ajv's type coercion on, a [number, null] union would turn null into 0
// (coordinates 0,0; a $0 fee) before trying the null branch.
const Nullable = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);

export const UsStateCode = Type.Union(US_STATES.map((s) => Type.Literal(s)));
export const ZipCode = Type.String({ pattern: '^[0-9]{5}(-[0-9]{4})?$' });
/** Photos and websites are shown to the public: https only. */
export const HttpsUrl = Type.String({ pattern: '^https://[^\\s]+$', maxLength: 500 });
export const Phone = Type.String({ pattern: '^[+0-9 ()./-]{7,25}$' });

// ---------- public search ----------

const FilterList = Type.Array(Type.String({ maxLength: 400 }), { maxItems: 30 });

export const DirectorySearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    zip: Type.Optional(Type.String({ maxLength: 10 })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    radius: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_RADIUS_MILES })),
    sort: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('distance')])),
    credentials: Type.Optional(FilterList),
    conditions: Type.Optional(FilterList),
    approaches: Type.Optional(FilterList),
    routes: Type.Optional(FilterList),
    formats: Type.Optional(FilterList),
    languages: Type.Optional(FilterList),
    inPerson: Type.Optional(Type.Boolean()),
    telehealth: Type.Optional(Type.Boolean()),
    /** Telehealth to someone in this state: the clinician is licensed there. */
    telehealthState: Type.Optional(UsStateCode),
    licenceState: Type.Optional(UsStateCode),
    acceptingNewPatients: Type.Optional(Type.Boolean()),
    slidingScale: Type.Optional(Type.Boolean()),
    superbill: Type.Optional(Type.Boolean()),
    /** Self-pay: the lowest fee is at most this many dollars. */
    maxFee: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    clinicId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  },
  { additionalProperties: false },
);
export type DirectorySearchQuery = Static<typeof DirectorySearchQuery>;

export const ClinicRef = Type.Object({ id: Type.String(), name: Type.String(), city: Type.String(), state: Type.String() });

export const ProviderCard = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  pronouns: Nullable(Type.String()),
  credentials: Type.Array(Type.String()),
  photoUrl: Nullable(Type.String()),
  clinic: ClinicRef,
  city: Type.String(),
  state: Type.String(),
  distanceMiles: Nullable(Type.Number()),
  conditions: Type.Array(Type.String()),
  approaches: Type.Array(Type.String()),
  routes: Type.Array(Type.String()),
  formats: Type.Array(Type.String()),
  languages: Type.Array(Type.String()),
  inPerson: Type.Boolean(),
  telehealth: Type.Boolean(),
  acceptingNewPatients: Type.Boolean(),
  feeMinUsd: Nullable(Type.Integer()),
  feeMaxUsd: Nullable(Type.Integer()),
  slidingScale: Type.Boolean(),
  superbill: Type.Boolean(),
  bioExcerpt: Type.String(),
  licenceVerifiedOn: IsoDate,
});
export type ProviderCard = Static<typeof ProviderCard>;

export const DirectorySearchResult = Type.Object({
  items: Type.Array(ProviderCard),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  sort: Type.Union([Type.Literal('relevance'), Type.Literal('distance')]),
  /** The point distances are measured from, when the search had one. */
  origin: Nullable(
    Type.Object({ latitude: Type.Number(), longitude: Type.Number(), label: Type.String(), radiusMiles: Type.Number() }),
  ),
});
export type DirectorySearchResult = Static<typeof DirectorySearchResult>;

export const PublicAddress = Type.Object({
  addressLine1: Type.String(),
  addressLine2: Nullable(Type.String()),
  city: Type.String(),
  state: Type.String(),
  postalCode: Type.String(),
  latitude: Type.Number(),
  longitude: Type.Number(),
});
export type PublicAddress = Static<typeof PublicAddress>;

export const PublicClinic = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  address: PublicAddress,
  phone: Type.String(),
  website: Nullable(Type.String()),
  email: Nullable(Type.String()),
  telehealthStates: Type.Array(Type.String()),
  photoUrl: Nullable(Type.String()),
});
export type PublicClinic = Static<typeof PublicClinic>;

export const ProviderProfile = Type.Composite([
  Type.Omit(ProviderCard, ['bioExcerpt', 'clinic', 'distanceMiles']),
  Type.Object({
    bio: Type.String(),
    licence: Type.Object({
      type: Type.String(),
      number: Type.String(),
      state: Type.String(),
      expiresOn: IsoDate,
      verifiedOn: IsoDate,
    }),
    location: PublicAddress,
    clinic: PublicClinic,
  }),
]);
export type ProviderProfile = Static<typeof ProviderProfile>;

export const ClinicPage = Type.Composite([PublicClinic, Type.Object({ providers: Type.Array(ProviderCard) })]);
export type ClinicPage = Static<typeof ClinicPage>;

// ---------- clinic admin editing ----------

export const AddressBody = Type.Object(
  {
    addressLine1: Type.String({ minLength: 1, maxLength: 200 }),
    addressLine2: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    state: UsStateCode,
    postalCode: ZipCode,
    /** Optional: without coordinates the ZIP code's centroid is used. */
    latitude: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    longitude: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
  },
  { additionalProperties: false },
);
export type AddressBody = Static<typeof AddressBody>;

export const ClinicListingBody = Type.Object(
  {
    listed: Type.Boolean(),
    publicName: Type.String({ minLength: 1, maxLength: 150 }),
    description: Type.String({ maxLength: 4000 }),
    address: AddressBody,
    phone: Phone,
    website: Type.Optional(Nullable(HttpsUrl)),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
    telehealthStates: Type.Array(UsStateCode, { uniqueItems: true, maxItems: US_STATES.length }),
    photoUrl: Type.Optional(Nullable(HttpsUrl)),
  },
  { additionalProperties: false },
);
export type ClinicListingBody = Static<typeof ClinicListingBody>;

export const ClinicListing = Type.Composite([
  PublicClinic,
  Type.Object({ listed: Type.Boolean(), updatedAt: IsoInstant }),
]);
export type ClinicListing = Static<typeof ClinicListing>;

export const ProviderProfileBody = Type.Object(
  {
    listed: Type.Boolean(),
    displayName: Type.String({ minLength: 1, maxLength: 120 }),
    pronouns: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    credentials: Type.Array(codeOf(CREDENTIALS), { minItems: 1, maxItems: CREDENTIALS.length, uniqueItems: true }),
    licenceType: Type.String({ minLength: 1, maxLength: 100 }),
    licenceNumber: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9 .-]+$' }),
    licenceState: UsStateCode,
    licenceExpiresOn: IsoDate,
    conditions: codeList(CONDITIONS),
    approaches: codeList(APPROACHES),
    routes: codeList(KETAMINE_ROUTES),
    formats: Type.Array(codeOf(FORMATS), { minItems: 1, maxItems: FORMATS.length, uniqueItems: true }),
    inPerson: Type.Boolean(),
    telehealth: Type.Boolean(),
    languages: Type.Array(codeOf(LANGUAGES), { minItems: 1, maxItems: LANGUAGES.length, uniqueItems: true }),
    feeMinUsd: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100000 }))),
    feeMaxUsd: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100000 }))),
    slidingScale: Type.Boolean(),
    superbill: Type.Boolean(),
    acceptingNewPatients: Type.Boolean(),
    bio: Type.String({ maxLength: 6000 }),
    photoUrl: Type.Optional(Nullable(HttpsUrl)),
    /** null or absent: practises at the clinic's address (and follows it when it changes). */
    location: Type.Optional(Nullable(AddressBody)),
  },
  { additionalProperties: false },
);
export type ProviderProfileBody = Static<typeof ProviderProfileBody>;

export const ManagedProvider = Type.Object({
  userId: Type.String(),
  accountName: Type.String(),
  role: Type.String(),
  accountActive: Type.Boolean(),
  /** null until a profile has been written. */
  profile: Nullable(
    Type.Composite([
      Type.Omit(ProviderProfileBody, ['location']),
      Type.Object({
        location: Nullable(PublicAddress),
        usesClinicLocation: Type.Boolean(),
        licenceStatus: Type.Union([Type.Literal('verified'), Type.Literal('unverified'), Type.Literal('expired')]),
        licenceVerifiedAt: Nullable(IsoInstant),
        /** Shown in public search right now. */
        searchable: Type.Boolean(),
        updatedAt: IsoInstant,
      }),
    ]),
  ),
});
export type ManagedProvider = Static<typeof ManagedProvider>;

export const UserIdParams = Type.Object({ userId: Uuid }, { additionalProperties: false });
