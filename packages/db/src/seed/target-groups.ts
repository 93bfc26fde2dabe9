// Who an offer is for. Codes are stable API values; labels are shown by portals and exist at
// least in German, English, Arabic and Ukrainian (here also Persian, Turkish and Russian).
import type { SqlExecutor } from '../client.js';
import { type ColumnSpec, insertRows, upsertTail } from './bulk.js';

export type Labels = { de: string; en: string; ar: string; uk: string } & Record<string, string>;

export const TARGET_GROUPS: Readonly<Record<string, Labels>> = {
  REFUGEES: { de: 'Geflüchtete', en: 'Refugees', ar: 'اللاجئون', uk: 'Біженці', fa: 'پناهندگان', tr: 'Mülteciler', ru: 'Беженцы' },
  ASYLUM_SEEKERS: {
    de: 'Asylsuchende',
    en: 'Asylum seekers',
    ar: 'طالبو اللجوء',
    uk: 'Шукачі притулку',
    fa: 'پناه‌جویان',
    tr: 'Sığınmacılar',
    ru: 'Лица, ищущие убежища',
  },
  NEWCOMERS: {
    de: 'Neu Zugewanderte',
    en: 'Recent immigrants',
    ar: 'القادمون الجدد',
    uk: 'Нещодавно прибулі',
    fa: 'تازه‌واردان',
    tr: 'Yeni gelenler',
    ru: 'Недавно прибывшие',
  },
  WOMEN: { de: 'Frauen', en: 'Women', ar: 'النساء', uk: 'Жінки', fa: 'زنان', tr: 'Kadınlar', ru: 'Женщины' },
  YOUTH: { de: 'Jugendliche und junge Erwachsene', en: 'Young people', ar: 'الشباب', uk: 'Молодь', fa: 'جوانان', tr: 'Gençler', ru: 'Молодёжь' },
  CHILDREN: { de: 'Kinder', en: 'Children', ar: 'الأطفال', uk: 'Діти', fa: 'کودکان', tr: 'Çocuklar', ru: 'Дети' },
  PARENTS: { de: 'Eltern', en: 'Parents', ar: 'الآباء والأمهات', uk: 'Батьки', fa: 'والدین', tr: 'Ebeveynler', ru: 'Родители' },
  SENIORS: { de: 'Ältere Menschen', en: 'Older people', ar: 'كبار السن', uk: 'Літні люди', fa: 'سالمندان', tr: 'Yaşlılar', ru: 'Пожилые люди' },
  PEOPLE_WITH_DISABILITIES: {
    de: 'Menschen mit Behinderungen',
    en: 'People with disabilities',
    ar: 'الأشخاص ذوو الإعاقة',
    uk: 'Люди з інвалідністю',
    fa: 'افراد دارای معلولیت',
    tr: 'Engelli bireyler',
    ru: 'Люди с инвалидностью',
  },
  EMPLOYED: { de: 'Berufstätige', en: 'Employed people', ar: 'العاملون', uk: 'Працевлаштовані', fa: 'شاغلان', tr: 'Çalışanlar', ru: 'Работающие' },
  JOB_SEEKERS: {
    de: 'Arbeitsuchende',
    en: 'Job seekers',
    ar: 'الباحثون عن عمل',
    uk: 'Шукачі роботи',
    fa: 'جویندگان کار',
    tr: 'İş arayanlar',
    ru: 'Ищущие работу',
  },
  VOLUNTEERS: { de: 'Ehrenamtliche', en: 'Volunteers', ar: 'المتطوعون', uk: 'Волонтери', fa: 'داوطلبان', tr: 'Gönüllüler', ru: 'Волонтёры' },
};

export type TargetGroupCode = keyof typeof TARGET_GROUPS;

const COLUMNS: ColumnSpec[] = [
  ['code', 'text'],
  ['labels', 'jsonb'],
];

export async function seedTargetGroups(sql: SqlExecutor): Promise<void> {
  await insertRows(
    sql,
    'target_group',
    COLUMNS,
    Object.entries(TARGET_GROUPS).map(([code, labels]) => ({ code, labels })),
    upsertTail('target_group', 'code', ['labels']),
  );
}
