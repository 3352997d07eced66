"""Folding text for matching words, never for storing: one helper for the engine and the recogniser.

Published tables come in simplified and traditional characters (a Yunnan table prints
``項(xiàng)目支出績效自評表`` with pinyin glosses after some characters), with full-width
forms, line breaks and U+3000 spaces inside cells. :func:`fold_text` turns any of these into
one comparable form (``项目支出绩效自评表``) so that headings, labels and qualitative words
match; the filing keeps the text exactly as filed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# Traditional → simplified, one character for one, for the words these forms use (headings,
# labels, indicator names, qualitative answers). Matching only: a character left out simply
# does not match, it is never shown to anyone changed.
_TRADITIONAL = (
    "項門們縣區財預績評價質時數據標產資撥結轉餘執達畫劃單務費補經濟會環態續響滿對實際總體額調計設備"
    "築驗責違為衛麗規狀況發開關係與於這個來說將當應該從後學習師號歲歷層場廠廣東車輛運輸電話議記錄認識"
    "證書報紙張樣級線網絡維護養飯館醫藥療險種農業漁糧災營導戰專辦處問題優點壞雙雜儘盡舉幾歸陽陰隊邊"
    "過進遠還選適連遞鄉鎮莊戶職稱權機構極樓準檢測減漲溫濕氣灣滅熱燈煙愛獎獨現瑪畢異盤監確礙禮禍積穩"
    "窮競節範簡籌約紀納紅組細終絕給統絲綠綜緊編練縮繳罰羅聯聲聽脫腦臨興舊艱藝蘇蟲術裝製複見視親覺觀"
    "討訓許訪詞試詳誌語誤課談請論諮謝讀變讓貨貧購貫貸賣贈趕跡踐軟較載輔輕轄週遺郵釋裏銀錢鐵錯鍵長閉"
    "間閒陳陸險隨隱雖雞離難靈韓頁順領頻顧類顯風飛飲馬驅髮鬥鬧魚鳥鹽麥黃齊齡龍萬億並倫偉側傳債傷傾僅"
    "儀儲兒內兩冊寫凍劉劑動勞勢勵勸協卻厲參吳員啟喪嚴團園圖圍圓塊堅塵墊壓壯夢奪奮婦嬰孫寧審寶屆屬島"
    "嶺幣帶幫幹庫廢廳強彈彙徑復徵憶懷慶戲擔擇擊擴擁擬擾攝攜敵斷晉暢條棄樂橋欄歡殘殺毀決潔澤濃無煉爭"
    "牆犧獲瓊眾碼礎祕稅筆緒繼罷義聖膽腳臺藍蘭衝襲覽訂診註詢誠誰諾謀講譯豐貝負貢販貿賀賓賠賴賽贊趙躍"
    "軍軌輪辭邏鄭醜針鋼鍋鎖鏈鐘閃閱闆陣隸雲霧靜韋頂頓頭顆願飽駐騎驚髒鮮鳳麼黨齒壽衆産綫爲衹隻裡採汙"
    "颱曆麵闢籲飭暫繫憑攤灑櫃蘋獻勝貼則費測劇創燒療糾紛絡繪續聞膚臉舖蓋薦藥虧規訴詐誇諸謂證讚賬賦"
    "國買覈譽慮別恥訊亞漢華僑"
    "賤質購趨跡軸較輯轟辯遲遷鄰醞鈔銷鋪錶鍛鍾鑒閩階際隔雜霸韻顛颳餵駕驗體鬆麗齋佈侶係倉倆傢僱價"
    "勁匯匱厭吶嗎嘗噸嚇囑壇墾壩奧奬妝婁媽嫵孿屍巖幟庄廂廚廝彥徹惡惱懇懲懶戀戶拋掃掛掙揀揚換揮損搖搶"
    "撐撫撲擋擠擬擺攔攪敗敘斃暈曉棟楊榮槍構標樞樁橫檔櫥歐殼毆氈氫氾洶淚淨淺漁滬滯漸漿潑潛澀濁濫瀉"
    "瀏瀕灘炮烏焕煩燦燭爐牽犢狹猶獄獅瑣璽甕畝疊療癢皚盞睜矯礦禦禪禿窩竊競筍箋簽籃籠粵糞紋紗紙紡紮"
    "綁綢綱網緣縫繩繡纏缽罈羨聳肅脅腫膠膩臟艦芻苧莖萊螢蠶衛補襯覓訝訟詠詩誕誘誦諒謙謠謹譜譴貞貶貸"
    "賄賊賓賜賬贓趙趨跡踴蹤軋軒軟輝轎辮遙鄒醬釀釘鈍鉛銅鋁鋒錫鍊鎊鑄鑰閥閣闊闖阻陝隕隴雋雛霽靂韌頒"
    "頸頹顫飄餅餓餘駁駛騙騰驟鴨鵝黴齣鹼曬歎淒蓮"
)
_SIMPLIFIED = (
    "项门们县区财预绩评价质时数据标产资拨结转余执达画划单务费补经济会环态续响满对实际总体额调计设备"
    "筑验责违为卫丽规状况发开关系与于这个来说将当应该从后学习师号岁历层场厂广东车辆运输电话议记录认识"
    "证书报纸张样级线网络维护养饭馆医药疗险种农业渔粮灾营导战专办处问题优点坏双杂尽尽举几归阳阴队边"
    "过进远还选适连递乡镇庄户职称权机构极楼准检测减涨温湿气湾灭热灯烟爱奖独现玛毕异盘监确碍礼祸积稳"
    "穷竞节范简筹约纪纳红组细终绝给统丝绿综紧编练缩缴罚罗联声听脱脑临兴旧艰艺苏虫术装制复见视亲觉观"
    "讨训许访词试详志语误课谈请论咨谢读变让货贫购贯贷卖赠赶迹践软较载辅轻辖周遗邮释里银钱铁错键长闭"
    "间闲陈陆险随隐虽鸡离难灵韩页顺领频顾类显风飞饮马驱发斗闹鱼鸟盐麦黄齐龄龙万亿并伦伟侧传债伤倾仅"
    "仪储儿内两册写冻刘剂动劳势励劝协却厉参吴员启丧严团园图围圆块坚尘垫压壮梦夺奋妇婴孙宁审宝届属岛"
    "岭币带帮干库废厅强弹汇径复征忆怀庆戏担择击扩拥拟扰摄携敌断晋畅条弃乐桥栏欢残杀毁决洁泽浓无炼争"
    "墙牺获琼众码础秘税笔绪继罢义圣胆脚台蓝兰冲袭览订诊注询诚谁诺谋讲译丰贝负贡贩贸贺宾赔赖赛赞赵跃"
    "军轨轮辞逻郑丑针钢锅锁链钟闪阅板阵隶云雾静韦顶顿头颗愿饱驻骑惊脏鲜凤么党齿寿众产线为只只里采污"
    "台历面辟吁饬暂系凭摊洒柜苹献胜贴则费测剧创烧疗纠纷络绘续闻肤脸铺盖荐药亏规诉诈夸诸谓证赞账赋"
    "国买核誉虑别耻讯亚汉华侨"
    "贱质购趋迹轴较辑轰辩迟迁邻酝钞销铺表锻钟鉴闽阶际隔杂霸韵颠刮喂驾验体松丽斋布侣系仓俩家雇价"
    "劲汇匮厌呐吗尝吨吓嘱坛垦坝奥奖妆娄妈妩孪尸岩帜庄厢厨厮彦彻恶恼恳惩懒恋户抛扫挂挣拣扬换挥损摇抢"
    "撑抚扑挡挤拟摆拦搅败叙毙晕晓栋杨荣枪构标枢桩横档橱欧壳殴毡氢泛汹泪净浅渔沪滞渐浆泼潜涩浊滥泻"
    "浏濒滩炮乌焕烦灿烛炉牵犊狭犹狱狮琐玺瓮亩叠疗痒皑盏睁矫矿御禅秃窝窃竞笋笺签篮笼粤粪纹纱纸纺扎"
    "绑绸纲网缘缝绳绣缠钵坛羡耸肃胁肿胶腻脏舰刍苎茎莱萤蚕卫补衬觅讶讼咏诗诞诱诵谅谦谣谨谱谴贞贬贷"
    "贿贼宾赐账赃赵趋迹踊踪轧轩软辉轿辫遥邹酱酿钉钝铅铜铝锋锡炼镑铸钥阀阁阔闯阻陕陨陇隽雏霁雳韧颁"
    "颈颓颤飘饼饿余驳驶骗腾骤鸭鹅霉出碱晒叹凄莲"
)
if len(_TRADITIONAL) != len(_SIMPLIFIED):  # pragma: no cover - a broken table is a programming error
    raise AssertionError("traditional/simplified tables differ in length")
TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)

# A pinyin gloss after a character: "項(xiàng)" → "項". Lower-case letters with at least one tone
# mark, so that "(A)" or "(B/A)" in column labels stay.
_PINYIN_GLOSS = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]*\)")


@lru_cache(maxsize=4096)
def simplify(text: str) -> str:
    """Full-width forms folded (NFKC), pinyin glosses dropped, traditional characters simplified;
    whitespace and line breaks kept (for running text such as reports)."""
    folded = unicodedata.normalize("NFKC", text)
    if "(" in folded:
        folded = _PINYIN_GLOSS.sub("", folded)
    return folded.translate(TO_SIMPLIFIED)


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    joined = "".join(simplify(text).split())
    # removing a space can let a combining mark meet its base letter: compose once more
    return joined if joined.isascii() else unicodedata.normalize("NFC", joined)


def fold_text(raw: Any) -> str:
    """The text of a cell for matching words: :func:`simplify` and every whitespace removed.

    ``"產(chǎn)出指標(biāo)\\n"`` → ``"产出指标"``; ``None`` → ``""``. Never store the result.
    """
    if isinstance(raw, str):
        return _fold(raw)
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    return _fold(str(raw))
