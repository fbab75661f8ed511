// Every GraphQL operation the merchant console sends: the public API only
// (schema/schema.graphql). tests/console/test_console_files.py reads the template literals
// of this file and validates each exported operation against that schema, so keep each one
// a plain `const NAME = `...`;` whose only substitutions are other constants of this file.

export const LOGIN = `mutation ConsoleLogin($input: LoginInput!) {
  login(input: $input) {
    token
    expiresAt
    account { username displayName role }
    errors { field code message }
  }
}`;

export const DESK = `query ConsoleDesk {
  me { username displayName role }
  myMerchant {
    id name status onDuty capacity activeOrders
    services { code serviceType { name } }
  }
}`;

export const SET_ON_DUTY = `mutation ConsoleSetOnDuty($input: SetOnDutyInput!) {
  setOnDuty(input: $input) {
    merchant { id name status onDuty capacity activeOrders }
    errors { field code message }
  }
}`;

const OFFER_FIELDS = `fragment ConsoleOffer on Offer {
  id status round distanceKm secondsLeft offeredAt expiresAt
  job {
    number urgent form contactName contactPhone placedAt
    quote { amount note }
    grid { name }
    serviceType { code name fields { code label type unit choices { code label } } }
  }
}`;

export const PENDING_OFFERS = `query ConsolePendingOffers {
  myOffers(status: [PENDING], first: 100) { ...ConsoleOffer }
}
${OFFER_FIELDS}`;

export const OFFERS = `subscription ConsoleOffers {
  offers { kind occurredAt offer { ...ConsoleOffer } }
}
${OFFER_FIELDS}`;

export const DECLINE_OFFER = `mutation ConsoleDeclineOffer($input: DeclineOfferInput!) {
  declineOffer(input: $input) {
    offer { id status }
    errors { field code message }
  }
}`;

const ORDER_FIELDS = `fragment ConsoleOrder on Order {
  id number status urgent form address contactName contactPhone
  quote { amount note }
  finalPrice outcome outcomeNote statusReason
  placedAt acceptedAt startedAt finishedAt
  grid { name }
  merchant { id activeOrders capacity }
  serviceType {
    code name
    pricing { kind }
    outcomes { code label }
    fields { code label type unit choices { code label } }
  }
}`;

export const ACCEPT_OFFER = `mutation ConsoleAcceptOffer($input: AcceptOfferInput!) {
  acceptOffer(input: $input) {
    order { ...ConsoleOrder }
    errors { field code message }
  }
}
${ORDER_FIELDS}`;

export const ORDERS = `query ConsoleOrders($active: [OrderStatus!], $ended: [OrderStatus!]) {
  active: orders(filter: { status: $active }, first: 100) { edges { node { ...ConsoleOrder } } }
  ended: orders(filter: { status: $ended }, first: 10) { edges { node { ...ConsoleOrder } } }
}
${ORDER_FIELDS}`;

export const ORDER_UPDATED = `subscription ConsoleOrderUpdated($number: String!) {
  orderUpdated(number: $number) { previous occurredAt order { ...ConsoleOrder } }
}
${ORDER_FIELDS}`;

export const START_SERVICE = `mutation ConsoleStartService($input: StartServiceInput!) {
  startService(input: $input) {
    order { ...ConsoleOrder }
    errors { field code message }
  }
}
${ORDER_FIELDS}`;

export const COMPLETE_ORDER = `mutation ConsoleCompleteOrder($input: CompleteOrderInput!) {
  completeOrder(input: $input) {
    order { ...ConsoleOrder }
    errors { field code message }
  }
}
${ORDER_FIELDS}`;
