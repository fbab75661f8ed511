// How the console words things: statuses, money, times, countdowns and order forms.

export const ORDER_STATUS = {
  PLACED: "已下单",
  DISPATCHING: "派单中",
  ACCEPTED: "已接单",
  IN_SERVICE: "服务中",
  COMPLETED: "已完成",
  CANCELLED: "已取消",
  NO_PROVIDER: "无人接单",
};

export const MERCHANT_STATUS = {
  PENDING: "审核中",
  APPROVED: "已通过审核",
  REJECTED: "未通过审核",
  SUSPENDED: "已暂停",
};

/** Chinese wording for codes whose API message may be in English. */
const CODE_TEXT = {
  INVALID_CREDENTIALS: "用户名或密码错误。",
  ACCOUNT_LOCKED: "密码错误次数过多，账号已暂时锁定，请稍后再试。",
  ACCOUNT_DISABLED: "该账号已停用。",
  UNAUTHENTICATED: "登录已失效，请重新登录。",
  FORBIDDEN: "当前账号无权进行此操作。",
};

/** What to tell the user about an error with this code and API message. */
export function errorText(code, message) {
  return CODE_TEXT[code] ?? message;
}

const TIME = new Intl.DateTimeFormat("zh-CN", {
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

export function time(iso) {
  return iso ? TIME.format(new Date(iso)) : "";
}

/** "01:05" for 65 seconds. */
export function countdown(seconds) {
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A quote or price in yuan: null is priced on site; negative is paid to the citizen. */
export function money(amount) {
  if (amount === null || amount === undefined) return "现场报价";
  const value = Number(amount);
  if (value === 0) return "免费";
  if (value < 0) return `回收，付给居民 ¥${(-value).toFixed(2)}`;
  return `¥${value.toFixed(2)}`;
}

export function distance(km) {
  return km < 1 ? `${Math.round(km * 1000)} 米` : `${km.toFixed(1)} 公里`;
}

function choiceLabel(field, code) {
  return field.choices.find((choice) => choice.code === code)?.label ?? code;
}

function fieldValue(field, value) {
  switch (field.type) {
    case "SINGLE_CHOICE":
      return choiceLabel(field, value);
    case "MULTI_CHOICE":
      return (Array.isArray(value) ? value : [value]).map((v) => choiceLabel(field, v)).join("、");
    case "BOOLEAN":
      return value ? "是" : "否";
    case "DATETIME":
      return time(value);
    case "NUMBER":
      return field.unit ? `${value} ${field.unit}` : String(value);
    case "LOCATION":
      return `${Number(value.lat).toFixed(5)}, ${Number(value.lng).toFixed(5)}`;
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

function blank(value) {
  return value === null || value === undefined || value === "" ||
    (Array.isArray(value) && value.length === 0);
}

/** The filled-in fields of an order form as [label, text] pairs, in the form's order. */
export function formFacts(serviceType, form) {
  const fields = serviceType?.fields ?? [];
  const known = new Set(fields.map((field) => field.code));
  const facts = fields
    .filter((field) => !blank(form[field.code]))
    .map((field) => [field.label, fieldValue(field, form[field.code])]);
  for (const [code, value] of Object.entries(form)) {
    if (!known.has(code) && !blank(value)) facts.push([code, fieldValue({ type: "" }, value)]);
  }
  return facts;
}
